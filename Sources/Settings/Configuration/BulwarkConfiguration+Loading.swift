import Configuration
import Foundation
import Primitives
import Strategies
import TradingModel

/// What `BulwarkConfiguration.load` reads: the process environment, the working folder and the command-line
/// flags. Kept apart from the process so tests can give any combination.
public struct ConfigurationInputs: Sendable {
    public var environment: [String: String]
    public var workingDirectory: String
    /// `--env-file PATH`; when nil, `.env` in the working folder is read if it exists.
    public var envFile: String?
    public var stateDirectory: String?
    public var logsDirectory: String?
    public var themesDirectory: String?
    /// `--live`: the operator means to trade real money.
    public var live: Bool
    /// Variables set by flags; they override the environment and `.env`.
    public var overrides: [String: String]

    public init(
        environment: [String: String], workingDirectory: String, envFile: String? = nil,
        stateDirectory: String? = nil, logsDirectory: String? = nil, themesDirectory: String? = nil,
        live: Bool = false, overrides: [String: String] = [:]
    ) {
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.envFile = envFile
        self.stateDirectory = stateDirectory
        self.logsDirectory = logsDirectory
        self.themesDirectory = themesDirectory
        self.live = live
        self.overrides = overrides
    }
}

extension BulwarkConfiguration {
    /// A loaded configuration and what was worth a warning but not a refusal.
    public struct Loaded: Sendable {
        public var configuration: BulwarkConfiguration
        public var warnings: [String]
    }

    /// Reads `.env`, then the environment, then flags (each overriding the one before), validates every
    /// value and returns the configuration — or throws every problem found at once.
    public static func load(_ inputs: ConfigurationInputs) throws(ConfigurationError) -> Loaded {
        var problems: [ConfigurationError.Problem] = []
        var warnings: [String] = []

        // 1. The .env file.
        var dotEnvValues: [String: String] = [:]
        let envFilePath = inputs.envFile.map { absolute($0, in: inputs.workingDirectory) }
            ?? absolute(".env", in: inputs.workingDirectory)
        var envFileUsed: String?
        switch readEnvFile(at: envFilePath, required: inputs.envFile != nil) {
        case .missing:
            break
        case .failed(let message):
            problems.append(.init(variable: inputs.envFile != nil ? "--env-file" : ".env", message: message))
        case .read(let file):
            envFileUsed = envFilePath
            let name = inputs.envFile ?? ".env"
            // A line that names a secret variable, or holds the value of a secret given anywhere, is
            // described without its text.
            var knownSecrets: [String] = []
            for secretName in secretNames {
                knownSecrets += [inputs.overrides[secretName], inputs.environment[secretName]].compactMap { $0 }
                knownSecrets += file.entries.filter { $0.key == secretName }.map(\.value)
            }
            knownSecrets = knownSecrets.filter { $0.count >= 4 }
            for problem in file.problems {
                let quiet = problem.mentions(names: secretNames, values: knownSecrets)
                problems.append(.init(variable: "\(name) line \(problem.line)", message: quiet ? problem.quietMessage : problem.message))
            }
            for (key, lines) in file.duplicates.sorted(by: { $0.key < $1.key }) {
                warnings.append("\(name): \(key) is set on lines \(lines.map(String.init).joined(separator: ", ")); the last one is used")
            }
            for entry in file.entries where !knownNames.contains(entry.key) {
                warnings.append("\(name) line \(entry.line): \(entry.key) is not a Bulwark variable and is ignored")
            }
            dotEnvValues = file.values
        }

        // 2. Layered lookup: flags, then the environment, then .env.
        let reader = ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: inputs.overrides, secretsSpecifier: .specific(secretNames)),
            EnvironmentVariablesProvider(environmentVariables: inputs.environment, secretsSpecifier: .specific(secretNames)),
            EnvironmentVariablesProvider(environmentVariables: dotEnvValues, secretsSpecifier: .specific(secretNames)),
        ])
        var values = ValueReader(reader: reader)

        let limits = RiskLimits(
            maxPositionSizeUSD: values.decimal("MAX_POSITION_SIZE_USD", default: 500, accepted: "a number greater than 0") { $0 > 0 },
            maxNotionalPerOrder: values.decimal("MAX_NOTIONAL_PER_ORDER", default: 2000, accepted: "a number greater than 0") { $0 > 0 },
            maxPortfolioExposurePct: values.fraction("MAX_PORTFOLIO_EXPOSURE_PCT", default: Decimal(string: "0.30")!),
            maxConcentrationPerSymbolPct: values.fraction("MAX_CONCENTRATION_PER_SYMBOL_PCT", default: Decimal(string: "0.15")!),
            maxPriceDeviationPct: values.fraction("MAX_PRICE_DEVIATION_PCT", default: Decimal(string: "0.05")!),
            minCooldownMinutes: values.integer("MIN_COOLDOWN_MINUTES", default: 5, range: 0...10_080),
            quoteMaxAgeSeconds: values.integer("QUOTE_MAX_AGE_SECONDS", default: 60, range: 1...3600)
        )
        let supervisor = Supervisor(
            maxRestarts: values.integer("SUPERVISOR_MAX_RESTARTS", default: 5, range: 1...100),
            restartWindowMinutes: values.integer("SUPERVISOR_RESTART_WINDOW_MINUTES", default: 10, range: 1...1440)
        )
        let dashboardPort =
            values.raw("DASHBOARD_PORT")?.trimmingCharacters(in: .whitespaces).lowercased() == "any"
            ? BulwarkConfiguration.anyDashboardPort : values.integer("DASHBOARD_PORT", default: 8787, range: 0...65_535)
        let journalMegabytes = values.integer("ORDER_JOURNAL_MAX_MB", default: 50, range: 1...10_240)
        let chaosModes = values.chaosModes("CHAOS_MODE")
        let flowPollSeconds = values.integer("UW_POLL_SECONDS", default: 15, range: 1...3600)
        let maxSignalAgeSeconds = values.integer("MAX_SIGNAL_AGE_SECONDS", default: 60, range: 1...3600)
        let onHangup = values.choice("BULWARK_ON_HANGUP", default: HangupPolicy.detach)
        let recordMarket = values.onOff("RECORD_MARKET", default: false)
        let strategy = FlowFollowingStrategy.Settings(
            minPremium: values.decimal("MIN_FLOW_PREMIUM_USD", default: 100_000, accepted: "a number greater than 0") { $0 > 0 },
            minAskSideShare: values.fraction("MIN_ASK_SIDE_SHARE", default: Decimal(string: "0.6")!),
            watchlist: Set(values.symbols("SYMBOL_WATCHLIST")),
            orderNotional: values.decimal("ORDER_NOTIONAL_USD", default: 400, accepted: "a number greater than 0") { $0 > 0 },
            entrySlippage: values.decimal("ENTRY_SLIPPAGE_PCT", default: Decimal(string: "0.001")!, accepted: "a fraction from 0 to 0.1") { $0 >= 0 && $0 <= Decimal(string: "0.1")! },
            takeProfit: values.fraction("TAKE_PROFIT_PCT", default: Decimal(string: "0.04")!),
            stopLoss: values.fraction("STOP_LOSS_PCT", default: Decimal(string: "0.02")!),
            maxHold: .seconds(60 * values.integer("MAX_HOLD_MINUTES", default: 120, range: 1...10_080)))

        let keyID = values.credential("APCA_API_KEY_ID")
        let secretKey = values.credential("APCA_API_SECRET_KEY")
        let flowToken = values.credential("UW_API_TOKEN")
        let tradingURL = values.url("APCA_API_BASE_URL", default: defaultTradingBaseURL)
        let dataURL = values.url("APCA_API_DATA_URL", default: defaultDataBaseURL)
        let flowURL = values.url("UW_API_BASE_URL", default: defaultFlowBaseURL)
        problems += values.problems

        // 3. Which broker.
        var broker = Broker.embedded
        switch (keyID, secretKey) {
        case (nil, nil):
            if inputs.live {
                problems.append(.init(variable: "--live", message: "given, but APCA_API_KEY_ID and APCA_API_SECRET_KEY are not set; live trading needs Alpaca keys"))
            }
            let ignored = ["APCA_API_BASE_URL", "APCA_API_DATA_URL", "UW_API_TOKEN", "UW_API_BASE_URL"].filter { values.isSet($0) }
            if !ignored.isEmpty {
                warnings.append("no Alpaca keys: trading on the embedded paper exchange, so \(ignored.joined(separator: ", ")) \(ignored.count == 1 ? "is" : "are") ignored")
            }
        case (.some, nil) where !values.refused.contains("APCA_API_SECRET_KEY"):
            problems.append(.init(variable: "APCA_API_SECRET_KEY", message: "is not set, but APCA_API_KEY_ID is; set both, or neither for the embedded paper exchange"))
        case (nil, .some) where !values.refused.contains("APCA_API_KEY_ID"):
            problems.append(.init(variable: "APCA_API_KEY_ID", message: "is not set, but APCA_API_SECRET_KEY is; set both, or neither for the embedded paper exchange"))
        case (.some, nil), (nil, .some):
            break  // the refused credential is already a problem
        case (.some(let keyID), .some(let secretKey)):
            guard let tradingURL, let dataURL, let flowURL else { break }
            guard let flowToken else {
                if values.refused.contains("UW_API_TOKEN") { break }
                problems.append(.init(variable: "UW_API_TOKEN", message: "is not set; trading on Alpaca needs an Unusual Whales token for its signals"))
                break
            }
            let endpoints = Endpoints(
                tradingBaseURL: tradingURL, dataBaseURL: dataURL, keyID: keyID, secretKey: secretKey,
                flowBaseURL: flowURL, flowToken: flowToken)
            let host = tradingURL.host?.lowercased() ?? ""
            let isPaper = host == paperTradingHost || isLoopback(host)
            switch (isPaper, inputs.live) {
            case (true, false):
                broker = .paper(endpoints)
            case (true, true):
                problems.append(.init(variable: "--live", message: "given, but APCA_API_BASE_URL=\"\(tradingURL.absoluteString)\" is a paper endpoint; drop --live, or point APCA_API_BASE_URL at https://\(liveTradingHost)"))
            case (false, false):
                let what = host == liveTradingHost ? "is Alpaca's live endpoint" : "is not a known paper endpoint, so it is treated as live"
                problems.append(.init(variable: "APCA_API_BASE_URL", message: "\"\(tradingURL.absoluteString)\" \(what); trading real money needs the --live flag"))
            case (false, true):
                broker = .live(endpoints)
            }
        }
        if broker.isLive && !chaosModes.isEmpty {
            problems.append(.init(variable: "CHAOS_MODE", message: "\"\(chaosModes.map(\.rawValue).joined(separator: ","))\" is refused against a live account; unset CHAOS_MODE"))
        }

        // 4. Folders.
        let paths = Paths(
            stateDirectory: absolute(inputs.stateDirectory ?? "state", in: inputs.workingDirectory),
            logsDirectory: absolute(inputs.logsDirectory ?? "logs", in: inputs.workingDirectory),
            themesDirectory: absolute(inputs.themesDirectory ?? "themes", in: inputs.workingDirectory))
        for (flag, given) in [("--state-dir", inputs.stateDirectory), ("--logs-dir", inputs.logsDirectory), ("--themes-dir", inputs.themesDirectory)] {
            if let given, given.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(.init(variable: flag, message: "is empty; give a folder path"))
            }
        }

        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }
        var configuration = BulwarkConfiguration(
            broker: broker, limits: limits, supervisor: supervisor, dashboardPort: dashboardPort,
            orderJournalMaxBytes: journalMegabytes * 1024 * 1024,
            chaosModes: chaosModes, strategy: strategy, flowPollInterval: .seconds(flowPollSeconds), paths: paths,
            theme: values.raw("BULWARK_THEME").flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 },
            envFile: envFileUsed, onHangup: onHangup)
        configuration.maxSignalAge = .seconds(maxSignalAgeSeconds)
        configuration.recordMarket = recordMarket
        return Loaded(configuration: configuration, warnings: warnings)
    }

    private enum EnvFileRead {
        case missing
        case read(DotEnvFile)
        case failed(String)
    }

    /// The largest `.env` file read: anything bigger is refused from its size, never read.
    public static let maximumEnvFileSize = 1 << 20

    /// Reads the file without blocking (a FIFO or device is refused, not waited on), only when it is a
    /// regular file (a symbolic link to one is fine) of at most 1 MiB.
    private static func readEnvFile(at path: String, required: Bool) -> EnvFileRead {
        switch RegularFile.read(path, maximumSize: maximumEnvFileSize, followSymlinks: true) {
        case .missing:
            return required ? .failed("\(path) does not exist") : .missing
        case .unusable(let reason):
            return .failed("\(path) cannot be used: \(reason)")
        case .bytes(let bytes):
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .failed("\(path) is not UTF-8 text")
            }
            return .read(DotEnvFile(parsing: text))
        }
    }

    static func absolute(_ path: String, in directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : (directory.hasSuffix("/") ? directory + path : directory + "/" + path)
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    /// The longest part of a value an error shows; the rest is cut.
    public static let echoLimit = 64

    /// A value as an error shows it: cut to 64 characters, control characters written out.
    public static func echo(_ value: String) -> String {
        var shown = ""
        for scalar in value.unicodeScalars.prefix(echoLimit) {
            shown += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        return value.unicodeScalars.count > echoLimit ? shown + "… (\(value.unicodeScalars.count) characters, cut)" : shown
    }

    /// A URL without its user, password, query and fragment.
    static func bareURL(_ components: URLComponents) -> String {
        var bare = components
        bare.user = nil
        bare.password = nil
        bare.query = nil
        bare.fragment = nil
        return bare.string ?? "(not shown)"
    }

    /// `localhost`, `127.0.0.0/8` and `::1`.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else { return false }
        return octets[0] == "127"
    }
}

/// Reads raw values through swift-configuration and turns them into typed ones, collecting a problem
/// for every value that is not accepted instead of stopping at the first.
private struct ValueReader {
    let reader: ConfigReader
    var problems: [ConfigurationError.Problem] = []
    /// Credentials given but refused (already a problem each).
    var refused: Set<String> = []

    init(reader: ConfigReader) {
        self.reader = reader
    }

    func raw(_ name: String) -> String? {
        reader.string(forKey: ConfigKey([name]), isSecret: BulwarkConfiguration.secretNames.contains(name))
    }

    func isSet(_ name: String) -> Bool { raw(name) != nil }

    private func shown(_ name: String, _ value: String) -> String {
        "\"\(BulwarkConfiguration.secretNames.contains(name) ? Secret.mask(value) : BulwarkConfiguration.echo(value))\""
    }

    private mutating func problem(_ name: String, _ value: String, _ accepted: String) {
        problems.append(.init(variable: name, message: "\(value.isEmpty ? "is empty" : "\(shown(name, value)) is not accepted"); expected \(accepted)"))
    }

    mutating func decimal(_ name: String, default defaultValue: Decimal, accepted: String, _ isAccepted: (Decimal) -> Bool) -> Decimal {
        guard let text = raw(name) else { return defaultValue }
        // Strict: no sign but "-", no spaces around it (a quoted " 500 " is refused, not trimmed).
        guard let value = Decimal(plainText: text), isAccepted(value) else {
            problem(name, text, "\(accepted) (default \(defaultValue))")
            return defaultValue
        }
        return value
    }

    mutating func fraction(_ name: String, default defaultValue: Decimal) -> Decimal {
        decimal(name, default: defaultValue, accepted: "a fraction greater than 0 and at most 1, such as 0.25") { $0 > 0 && $0 <= 1 }
    }

    mutating func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let text = raw(name) else { return defaultValue }
        // Strict: [0-9]+ only ("+80", " 80" and "0x50" are refused); at most 18 digits so it fits an Int.
        let isWhole = !text.isEmpty && text.utf8.count <= 18 && text.utf8.allSatisfy { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
        guard isWhole, let value = Int(text), range.contains(value) else {
            problem(name, text, "a whole number from \(range.lowerBound) to \(range.upperBound) (default \(defaultValue))")
            return defaultValue
        }
        return value
    }

    /// Credentials: unset or empty means "not given". A value given is checked before it is used
    /// anywhere: printable ASCII with no spaces or control characters, of a sane length; a refused
    /// one is never shown, not even masked, since its mask could carry the bad characters.
    mutating func credential(_ name: String) -> Secret? {
        guard let text = raw(name), !text.isEmpty else { return nil }
        if let problem = Secret.problem(with: text) {
            problems.append(.init(variable: name, message: "is not accepted (its value is not shown): \(problem); expected \(Secret.accepted)"))
            refused.insert(name)
            return nil
        }
        return Secret(text)
    }

    mutating func url(_ name: String, default defaultValue: String) -> URL? {
        let text = raw(name) ?? defaultValue
        let accepted = "an https:// URL with a host and no user, query or fragment (http:// only for localhost or 127.x.x.x)"
        guard let components = URLComponents(string: text) else {
            problems.append(.init(variable: name, message: "is not a URL (not shown); expected \(accepted)"))
            return nil
        }
        // A user, password, query or fragment may carry a credential: refused, and the URL is shown without them.
        var carried: [String] = []
        if components.user != nil || components.password != nil { carried.append("a user or password") }
        if components.query != nil { carried.append("a query") }
        if components.fragment != nil { carried.append("a fragment") }
        guard carried.isEmpty else {
            problems.append(.init(
                variable: name,
                message: "\"\(BulwarkConfiguration.echo(BulwarkConfiguration.bareURL(components)))\" has \(carried.joined(separator: " and ")), which is not shown and not accepted; expected \(accepted)"))
            return nil
        }
        guard let scheme = components.scheme?.lowercased(), let host = components.host, !host.isEmpty, let url = components.url else {
            problem(name, text, accepted)
            return nil
        }
        switch scheme {
        case "https":
            return url
        case "http" where BulwarkConfiguration.isLoopback(host):
            return url
        case "http":
            problems.append(.init(variable: name, message: "\(shown(name, text)) uses plain http:// to a remote host; credentials would cross the network unencrypted; use https://"))
            return nil
        default:
            problem(name, text, accepted)
            return nil
        }
    }

    /// One of a fixed set of words (case-insensitive).
    mutating func choice<Value: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Value) -> Value where Value.RawValue == String {
        guard let text = raw(name) else { return defaultValue }
        guard let value = Value(rawValue: text.trimmingCharacters(in: .whitespaces).lowercased()) else {
            let accepted = Value.allCases.map(\.rawValue)
            problem(name, text, "one of \(accepted.dropLast().joined(separator: ", ")) or \(accepted.last ?? "") (default \(defaultValue.rawValue))")
            return defaultValue
        }
        return value
    }

    /// A switch: 1, true, yes or on; 0, false, no or off (any case).
    mutating func onOff(_ name: String, default defaultValue: Bool) -> Bool {
        guard let text = raw(name) else { return defaultValue }
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            problem(name, text, "1 or 0 (or true/false, yes/no, on/off; default \(defaultValue ? 1 : 0))")
            return defaultValue
        }
    }

    /// A comma-separated list of ticker symbols; empty (or unset) means none.
    mutating func symbols(_ name: String) -> [Symbol] {
        guard let text = raw(name) else { return [] }
        var symbols: [Symbol] = []
        for part in text.split(separator: ",") {
            let token = part.trimmingCharacters(in: .whitespaces).uppercased()
            guard let symbol = Symbol(token) else {
                problems.append(.init(variable: name, message: "\"\(token)\" is not a ticker symbol; expected a comma-separated list such as AAPL,MSFT,BRK.B"))
                continue
            }
            if !symbols.contains(symbol) { symbols.append(symbol) }
        }
        return symbols
    }

    mutating func chaosModes(_ name: String) -> [ChaosMode] {
        guard let text = raw(name) else { return [] }
        var modes: [ChaosMode] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let token = part.trimmingCharacters(in: .whitespaces).lowercased()
            if token.isEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard let mode = ChaosMode(rawValue: token) else {
                problems.append(.init(variable: name, message: "\"\(token)\" is not a chaos mode; expected a comma-separated list of \(ChaosMode.allCases.map(\.rawValue).joined(separator: ", "))"))
                continue
            }
            if !modes.contains(mode) { modes.append(mode) }
        }
        return modes
    }
}
