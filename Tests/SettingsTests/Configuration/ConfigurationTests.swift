import Foundation
@testable import Primitives
@testable import Settings
@testable import Strategies
import TestSupport
import Testing

struct ConfigurationTests {
    /// With nothing set, every variable has its documented default and the broker is the embedded exchange.
    @Test func defaults() throws {
        let configuration = try ConfigurationFixture.load().get().configuration
        #expect(configuration.broker == .embedded)
        #expect(configuration.limits.maxPositionSizeUSD == 500)
        #expect(configuration.limits.maxNotionalPerOrder == 2000)
        #expect(configuration.limits.maxPortfolioExposurePct == Decimal(string: "0.30"))
        #expect(configuration.limits.maxConcentrationPerSymbolPct == Decimal(string: "0.15"))
        #expect(configuration.limits.maxPriceDeviationPct == Decimal(string: "0.05"))
        #expect(configuration.limits.minCooldownMinutes == 5)
        #expect(configuration.supervisor.maxRestarts == 5)
        #expect(configuration.supervisor.restartWindowMinutes == 10)
        #expect(configuration.dashboardPort == 8787)
        #expect(configuration.limits.quoteMaxAgeSeconds == 60)
        #expect(configuration.orderJournalMaxBytes == 50 * 1024 * 1024)
        #expect(configuration.flowPollInterval == .seconds(15))
        #expect(configuration.maxSignalAge == .seconds(60))
        #expect(configuration.strategy == FlowFollowingStrategy.Settings())
        #expect(configuration.strategy.minPremium == 100_000 && configuration.strategy.orderNotional == 400)
        #expect(configuration.strategy.maxHold == .seconds(7200) && configuration.strategy.watchlist.isEmpty)
        #expect(configuration.chaosModes.isEmpty)
        #expect(configuration.paths.stateDirectory.hasSuffix("/state"))
        #expect(configuration.paths.logsDirectory.hasSuffix("/logs"))
        #expect(configuration.paths.themesDirectory.hasSuffix("/themes"))
    }

    /// BULWARK_ON_HANGUP is detach by default and reads detach, halt and stop (any case); another word is a
    /// problem naming the variable and the accepted values.
    @Test func hangupPolicy() throws {
        #expect(try ConfigurationFixture.load().get().configuration.onHangup == .detach)
        for (text, policy) in [("detach", BulwarkConfiguration.HangupPolicy.detach), ("HALT", .halt), (" stop ", .stop)] {
            #expect(try ConfigurationFixture.load(env: ["BULWARK_ON_HANGUP": text]).get().configuration.onHangup == policy)
        }
        let problems = ConfigurationFixture.problems(env: ["BULWARK_ON_HANGUP": "ignore"])
        #expect(problems.count == 1)
        #expect(problems.first?.variable == "BULWARK_ON_HANGUP")
        #expect(problems.first?.message.contains("one of detach, halt or stop") == true, "\(problems)")
    }

    /// RECORD_MARKET is off by default, reads 1/0 (and true/false, yes/no, on/off in any case); another word
    /// is a problem naming the variable and what it accepts.
    @Test func recordMarketSwitch() throws {
        #expect(try ConfigurationFixture.load().get().configuration.recordMarket == false)
        for (text, on) in [("1", true), ("TRUE", true), (" on ", true), ("0", false), ("off", false), ("No", false)] {
            #expect(try ConfigurationFixture.load(env: ["RECORD_MARKET": text]).get().configuration.recordMarket == on, "\(text)")
        }
        let problems = ConfigurationFixture.problems(env: ["RECORD_MARKET": "maybe"])
        #expect(problems.count == 1)
        #expect(problems.first?.variable == "RECORD_MARKET")
        #expect(problems.first?.message.contains("\"maybe\" is not accepted; expected 1 or 0") == true, "\(problems)")
    }

    /// Each numeric variable, set to an accepted value, is read exactly (money without binary rounding).
    @Test(arguments: [
        ("MAX_POSITION_SIZE_USD", "750.25"), ("MAX_NOTIONAL_PER_ORDER", "0.01"),
        ("MAX_PORTFOLIO_EXPOSURE_PCT", "1"), ("MAX_CONCENTRATION_PER_SYMBOL_PCT", "0.1"),
        ("MAX_PRICE_DEVIATION_PCT", "0.001"), ("MIN_COOLDOWN_MINUTES", "0"), ("SUPERVISOR_MAX_RESTARTS", "100"),
        ("SUPERVISOR_RESTART_WINDOW_MINUTES", "1"), ("DASHBOARD_PORT", "0"), ("QUOTE_MAX_AGE_SECONDS", "3600"),
        ("ORDER_JOURNAL_MAX_MB", "1"), ("MAX_SIGNAL_AGE_SECONDS", "3600"),
    ])
    func acceptedValues(name: String, value: String) throws {
        let configuration = try ConfigurationFixture.load(env: [name: value]).get().configuration
        let read: String =
            switch name {
            case "MAX_POSITION_SIZE_USD": "\(configuration.limits.maxPositionSizeUSD)"
            case "MAX_NOTIONAL_PER_ORDER": "\(configuration.limits.maxNotionalPerOrder)"
            case "MAX_PORTFOLIO_EXPOSURE_PCT": "\(configuration.limits.maxPortfolioExposurePct)"
            case "MAX_CONCENTRATION_PER_SYMBOL_PCT": "\(configuration.limits.maxConcentrationPerSymbolPct)"
            case "MAX_PRICE_DEVIATION_PCT": "\(configuration.limits.maxPriceDeviationPct)"
            case "MIN_COOLDOWN_MINUTES": "\(configuration.limits.minCooldownMinutes)"
            case "SUPERVISOR_MAX_RESTARTS": "\(configuration.supervisor.maxRestarts)"
            case "SUPERVISOR_RESTART_WINDOW_MINUTES": "\(configuration.supervisor.restartWindowMinutes)"
            case "QUOTE_MAX_AGE_SECONDS": "\(configuration.limits.quoteMaxAgeSeconds)"
            case "ORDER_JOURNAL_MAX_MB": "\(configuration.orderJournalMaxBytes / 1024 / 1024)"
            case "MAX_SIGNAL_AGE_SECONDS": "\(configuration.maxSignalAge.components.seconds)"
            default: "\(configuration.dashboardPort)"
            }
        #expect(read == value)
    }

    /// Every numeric variable refuses empty, non-numeric and out-of-range values, naming the variable,
    /// the value and what it accepts.
    @Test(arguments: [
        ("MAX_POSITION_SIZE_USD", ["", "abc", "0", "-5", "12abc", "1e3", "1,000"]),
        ("MAX_NOTIONAL_PER_ORDER", ["", "x", "0", "-0.01"]),
        ("MAX_PORTFOLIO_EXPOSURE_PCT", ["", "pct", "0", "1.01", "-0.1", "30%"]),
        ("MAX_CONCENTRATION_PER_SYMBOL_PCT", ["", "0", "2"]),
        ("MAX_PRICE_DEVIATION_PCT", ["", "0", "1.5", "five"]),
        ("MIN_COOLDOWN_MINUTES", ["", "-1", "10081", "2.5", "soon"]),
        ("SUPERVISOR_MAX_RESTARTS", ["", "0", "101", "many"]),
        ("SUPERVISOR_RESTART_WINDOW_MINUTES", ["", "0", "1441", "ten"]),
        ("DASHBOARD_PORT", ["", "-1", "65536", "http"]),
        ("QUOTE_MAX_AGE_SECONDS", ["", "0", "3601", "1.5", "a minute"]),
        ("ORDER_JOURNAL_MAX_MB", ["", "0", "10241", "-5", "big"]),
        ("UW_POLL_SECONDS", ["", "0", "3601", "fast"]),
        ("MAX_SIGNAL_AGE_SECONDS", ["", "0", "3601", "1.5", "a minute"]),
        ("MIN_FLOW_PREMIUM_USD", ["", "0", "-1", "100k"]),
        ("MIN_ASK_SIDE_SHARE", ["", "0", "1.1"]),
        ("ORDER_NOTIONAL_USD", ["", "0", "-400"]),
        ("ENTRY_SLIPPAGE_PCT", ["", "-0.001", "0.2"]),
        ("TAKE_PROFIT_PCT", ["", "0", "2"]),
        ("STOP_LOSS_PCT", ["", "0", "1.5"]),
        ("MAX_HOLD_MINUTES", ["", "0", "10081", "2h"]),
        ("SYMBOL_WATCHLIST", ["aapl,??", "TOOLONGSYMBOL"]),
    ])
    func rejectedValues(name: String, values: [String]) {
        for value in values {
            let problems = ConfigurationFixture.problems(env: [name: value])
            #expect(problems.count == 1, "\(name)=\(value)")
            #expect(problems.first?.variable == name)
            let message = problems.first?.message ?? ""
            if name != "SYMBOL_WATCHLIST" {
                #expect(value.isEmpty ? message.contains("is empty") : message.contains("\"\(value)\""), "\(message)")
            }
            #expect(message.contains("expected"), "\(message)")
        }
    }

    /// All problems are reported at once, not just the first.
    @Test func everyProblemIsReported() {
        let problems = ConfigurationFixture.problems(
            env: ["MAX_POSITION_SIZE_USD": "x", "DASHBOARD_PORT": "99999", "CHAOS_MODE": "nope"],
            dotEnv: "MIN_COOLDOWN_MINUTES=-3\nbroken line\n")
        #expect(Set(problems.map(\.variable)) == ["MAX_POSITION_SIZE_USD", "DASHBOARD_PORT", "CHAOS_MODE", "MIN_COOLDOWN_MINUTES", ".env line 2"])
    }

    /// `.env` is read first, the environment overrides it, and flags override both.
    @Test func precedence() throws {
        let dotEnv = "MAX_POSITION_SIZE_USD=100\nMAX_NOTIONAL_PER_ORDER=200\nDASHBOARD_PORT=1000\n"
        let configuration = try ConfigurationFixture.load(
            env: ["MAX_NOTIONAL_PER_ORDER": "300", "DASHBOARD_PORT": "2000"], dotEnv: dotEnv,
            overrides: ["DASHBOARD_PORT": "3000"]
        ).get().configuration
        #expect(configuration.limits.maxPositionSizeUSD == 100)
        #expect(configuration.limits.maxNotionalPerOrder == 300)
        #expect(configuration.dashboardPort == 3000)
    }

    /// `--env-file` names another file; a missing one is a problem, while a missing default `.env` is not.
    @Test func envFileFlag() throws {
        let folder = TemporaryFolder()
        folder.write("custom.env", "MAX_POSITION_SIZE_USD=42\n")
        let inputs = ConfigurationInputs(environment: [:], workingDirectory: folder.path, envFile: "custom.env")
        let loaded = try BulwarkConfiguration.load(inputs)
        #expect(loaded.configuration.limits.maxPositionSizeUSD == 42)
        #expect(loaded.configuration.envFile == folder.path + "/custom.env")

        let missing = ConfigurationFixture.load(envFile: "/nonexistent/bulwark.env")
        guard case .failure(let error) = missing else {
            Issue.record("a missing --env-file must be refused")
            return
        }
        #expect(error.problems.map(\.variable) == ["--env-file"])
    }

    /// Unknown names and duplicate keys in `.env` are warnings, not refusals.
    @Test func warnings() throws {
        let loaded = try ConfigurationFixture.load(dotEnv: "MAX_POSITON_SIZE_USD=1\nDASHBOARD_PORT=1\nDASHBOARD_PORT=2\n").get()
        #expect(loaded.warnings.contains { $0.contains("MAX_POSITON_SIZE_USD is not a Bulwark variable") })
        #expect(loaded.warnings.contains { $0.contains("DASHBOARD_PORT is set on lines 2, 3") })
    }

    /// Alpaca keys with the paper URL select Alpaca paper; the secret never appears in a description.
    @Test func paperBroker() throws {
        let configuration = try ConfigurationFixture.load(env: ConfigurationFixture.paperKeys).get().configuration
        guard case .paper(let endpoints) = configuration.broker else {
            Issue.record("expected the paper broker, got \(configuration.broker.label)")
            return
        }
        #expect(endpoints.tradingBaseURL.absoluteString == "https://paper-api.alpaca.markets")
        #expect(configuration.broker.label == "PAPER")
        #expect(!"\(configuration)".contains("SECRETSECRETSECRET98765"))
        #expect(!String(reflecting: configuration).contains("SECRETSECRETSECRET98765"))
    }

    /// The live URL is refused without `--live`, accepted with it, and `--live` with a paper URL is refused.
    @Test func liveRefusal() throws {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_BASE_URL"] = "https://api.alpaca.markets"
        let refused = ConfigurationFixture.problems(env: env)
        #expect(refused.map(\.variable) == ["APCA_API_BASE_URL"])
        #expect(refused.first?.message.contains("--live") == true)

        let live = try ConfigurationFixture.load(env: env, live: true).get().configuration
        #expect(live.broker.isLive)
        #expect(live.broker.label == "LIVE")

        #expect(ConfigurationFixture.problems(env: ConfigurationFixture.paperKeys, live: true).map(\.variable) == ["--live"])
        #expect(ConfigurationFixture.problems(live: true).map(\.variable) == ["--live"])
    }

    /// An unknown remote trading host is treated as live: refused without `--live`.
    @Test func unknownHostIsTreatedAsLive() {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_BASE_URL"] = "https://broker.example.com"
        #expect(ConfigurationFixture.problems(env: env).map(\.variable) == ["APCA_API_BASE_URL"])
    }

    /// Chaos modes are refused against a live account.
    @Test func chaosRefusedWhenLive() {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_BASE_URL"] = "https://api.alpaca.markets"
        env["CHAOS_MODE"] = "alpaca_down"
        #expect(ConfigurationFixture.problems(env: env, live: true).map(\.variable) == ["CHAOS_MODE"])
    }

    /// SYMBOL_WATCHLIST reads symbols, upper-cased, without duplicates; empty means any.
    @Test func watchlist() throws {
        let configuration = try ConfigurationFixture.load(env: ["SYMBOL_WATCHLIST": " aapl, MSFT ,BRK.B,AAPL"]).get().configuration
        #expect(configuration.strategy.watchlist == [Symbol("AAPL")!, Symbol("MSFT")!, Symbol("BRK.B")!])
        #expect(try ConfigurationFixture.load(env: ["SYMBOL_WATCHLIST": ""]).get().configuration.strategy.watchlist.isEmpty)
    }

    /// CHAOS_MODE reads a comma-separated list of known modes, in order, without duplicates.
    @Test func chaosModes() throws {
        let configuration = try ConfigurationFixture.load(env: ["CHAOS_MODE": " alpaca_down, latency ,alpaca_down"]).get().configuration
        #expect(configuration.chaosModes == [.alpacaDown, .latency])
        #expect(ConfigurationFixture.problems(env: ["CHAOS_MODE": "alpaca_down,,latency"]).map(\.variable) == ["CHAOS_MODE"])
    }

    /// Plain http is accepted only for loopback hosts; URLs with credentials or queries are refused.
    @Test(arguments: [
        ("http://127.0.0.1:8080", true), ("http://localhost:9000", true), ("http://[::1]:9000", true),
        ("http://127.1.2.3", true), ("https://paper-api.alpaca.markets", true), ("http://paper-api.alpaca.markets", false),
        ("http://10.0.0.1", false), ("ftp://127.0.0.1", false), ("not a url", false), ("", false),
        ("https://user:pw@paper-api.alpaca.markets", false), ("https://paper-api.alpaca.markets?x=1", false),
    ])
    func urlRules(url: String, accepted: Bool) {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_DATA_URL"] = url
        #expect(ConfigurationFixture.problems(env: env).isEmpty == accepted, "\(url)")
    }

    /// Loopback trading URLs (a standalone paper exchange) are paper, not live.
    @Test func loopbackExchangeIsPaper() throws {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_BASE_URL"] = "http://127.0.0.1:9100"
        let configuration = try ConfigurationFixture.load(env: env).get().configuration
        #expect(configuration.broker.label == "PAPER")
    }

    /// One Alpaca key without the other, or Alpaca keys without a flow token, is refused.
    @Test func incompleteCredentials() {
        #expect(ConfigurationFixture.problems(env: ["APCA_API_KEY_ID": "PK123456789012"]).map(\.variable) == ["APCA_API_SECRET_KEY"])
        #expect(ConfigurationFixture.problems(env: ["APCA_API_SECRET_KEY": "S123456789012"]).map(\.variable) == ["APCA_API_KEY_ID"])
        var env = ConfigurationFixture.paperKeys
        env["UW_API_TOKEN"] = ""
        #expect(ConfigurationFixture.problems(env: env).map(\.variable) == ["UW_API_TOKEN"])
    }

    /// A problem with a secret shows it masked: first 2 and last 4 characters only.
    @Test func secretsAreMaskedInProblems() {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_BASE_URL"] = "https://api.alpaca.markets"
        let text = ConfigurationError(problems: ConfigurationFixture.problems(env: env)).description
        #expect(!text.contains("SECRETSECRETSECRET98765"))
        #expect(!text.contains("PKTESTKEY0000001234"))
    }

    /// Relative folder flags resolve against the working folder.
    @Test func folderFlags() throws {
        let folder = TemporaryFolder()
        let inputs = ConfigurationInputs(
            environment: [:], workingDirectory: folder.path, stateDirectory: "run/state", logsDirectory: "/var/tmp/bw-logs")
        let paths = try BulwarkConfiguration.load(inputs).configuration.paths
        #expect(paths.stateDirectory == folder.path + "/run/state")
        #expect(paths.logsDirectory == "/var/tmp/bw-logs")
        let empty = ConfigurationInputs(environment: [:], workingDirectory: folder.path, stateDirectory: " ")
        #expect(throws: ConfigurationError.self) { try BulwarkConfiguration.load(empty) }
    }
}
