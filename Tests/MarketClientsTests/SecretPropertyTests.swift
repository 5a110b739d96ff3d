import Foundation
import Logging
import MarketClients
import Persistence
import Primitives
import Settings
import Supervision
import TestSupport
import Testing
import TradingModel

/// A transport that fails the way an HTTP library does when it refuses a header: its error carries the
/// header values, written out as Swift writes them (`invalidHeaderFieldValues(["a\nb"])`).
private struct HeaderEchoingTransport: HTTPTransport {
    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        throw TransportError(.other, "invalidHeaderFieldValues(\(request.headers.map(\.value)))")
    }
}

/// Secrets from every character class, driven through every way out.
struct SecretPropertyTests {
    /// Character classes a secret is drawn from: letters, digits, punctuation, space and tab, line breaks,
    /// NUL and other control characters, DEL, non-ASCII letters and emoji.
    private static let classes: [[Unicode.Scalar]] = [
        Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".unicodeScalars),
        Array("0123456789".unicodeScalars),
        Array("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~".unicodeScalars),
        [" ", "\t"],
        ["\n", "\r"],
        ["\u{0}", "\u{1}", "\u{7}", "\u{1B}", "\u{1F}", "\u{7F}"],
        ["é", "ß", "Ж", "中", "😀", "\u{200B}"],
    ]

    /// A secret of 12 to 60 characters, mostly letters and digits, with one to four characters from
    /// other classes at random places.
    private static func secret(_ random: inout SeededGenerator) -> String {
        var scalars = (0..<Int.random(in: 12...60, using: &random)).map { _ in
            classes[Int.random(in: 0...1, using: &random)].randomElement(using: &random)!
        }
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            let chosen = classes.randomElement(using: &random)!.randomElement(using: &random)!
            scalars.insert(chosen, at: Int.random(in: 0...scalars.count, using: &random))
        }
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    /// The forms a leaked secret could take in a text, a log line or a JSON file.
    private static func leaks(_ secret: String, in output: String) -> [String] {
        var forms = [secret, String(reflecting: secret).dropFirst().dropLast().description]
        if let json = try? JSONEncoder().encode([secret]), let text = String(data: json, encoding: .utf8) {
            forms.append(String(text.dropFirst(2).dropLast(2)))
        }
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: unreserved) { forms.append(encoded) }
        return forms.filter { output.contains($0) }
    }

    /// 150 secrets with every character class, through configuration, request headers (a refusing
    /// transport), the JSON log, the state file and the health document: none appears in any output,
    /// in any form (raw, written-out escapes, JSON-escaped, percent-encoded).
    @Test func secretsNeverAppearInAnyOutput() async throws {
        var random = SeededGenerator(seed: 19)
        let folder = TemporaryFolder()
        let clock = ManualClock()
        for round in 0..<150 {
            let secret = Self.secret(&random)
            var outputs: [(String, String)] = []

            // Configuration: refused (masked) or accepted.
            let keys = ["APCA_API_KEY_ID": "PKPROPERTY000000001", "APCA_API_SECRET_KEY": secret, "UW_API_TOKEN": "uw-property-token-0001"]
            do {
                let loaded = try BulwarkConfiguration.load(ConfigurationInputs(environment: keys, workingDirectory: folder.path))
                outputs.append(("configuration", "\(loaded.configuration) \(loaded.warnings)"))
            } catch {
                outputs.append(("configuration error", error.description))
            }

            // Request headers: the transport refuses them and its error carries them.
            let endpoints = BulwarkConfiguration.Endpoints(
                tradingBaseURL: URL(string: "http://127.0.0.1:1")!, dataBaseURL: URL(string: "http://127.0.0.1:1")!,
                keyID: Secret("PKPROPERTY000000001"), secretKey: Secret(secret), flowBaseURL: URL(string: "http://127.0.0.1:1")!,
                flowToken: Secret("uw-property-token-0001"))
            let logPath = folder.path + "/logs-\(round)/bulwark.log"
            let file = try LogFile(path: logPath)
            let redactor = Redactor(secrets: [endpoints.keyID, endpoints.secretKey, endpoints.flowToken])
            let logger = Logger(label: "property") { JSONLogHandler(label: $0, file: file, clock: clock, redactor: redactor) }
            let connections = MarketConnections(
                endpoints: endpoints, transport: HeaderEchoingTransport(), clock: clock, logger: logger,
                policy: RetryPolicy(maxAttempts: 1, totalDeadline: .seconds(1), attemptTimeout: .seconds(1)))
            var failure = ""
            do {
                _ = try await connections.trading.accountDetails()
            } catch {
                failure = "\(error) \(error.message)"
            }
            outputs.append(("API error", failure))

            // The log: the failure as a message, the secret in metadata, an error value.
            logger.error("account check failed: \(failure)", metadata: ["header": "\(secret)", "debug": "\(String(reflecting: secret))"])
            outputs.append(("log file", (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""))

            // The state file and the health document hold the failure as a reason and a last error.
            let stateDirectory = folder.path + "/state-\(round)"
            let store = try StateStore(directory: stateDirectory, clock: clock, bus: nil, logger: logger)
            try store.hold(.config, reason: "FAILED_CONFIG: \(failure)")
            outputs.append(("state file", (try? String(contentsOfFile: stateDirectory + "/trading_state.json", encoding: .utf8)) ?? ""))
            let health = HealthRegistry(
                services: HealthRegistry.standardServices, path: stateDirectory + "/health.json", clock: clock, bus: nil, logger: logger)
            health.report(.tradingBot, from: .service, status: .failed, reason: .config, error: failure)
            outputs.append(("health file", (try? String(contentsOfFile: stateDirectory + "/health.json", encoding: .utf8)) ?? ""))

            for (place, output) in outputs {
                let found = Self.leaks(secret, in: output)
                #expect(found.isEmpty, "round \(round): secret \(String(reflecting: secret)) found in the \(place) as \(found)")
            }
        }
    }
}
