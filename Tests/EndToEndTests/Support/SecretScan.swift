import Foundation
import Testing

/// Looking for configured secrets in what a run wrote, served and showed, in every form they could leak
/// in; and the standalone exchange, configured with secrets of every printable class, that the secret
/// tests trade against.
enum SecretScan {
    /// Credentials with every class of printable ASCII a secret may hold (quotes, backslash, `%`, `+`,
    /// `/`, `=`, brackets…), each with a distinctive core so that a fragment of one is recognisable.
    static let keyID = "PKh0st1le~key.ID-0001"
    static let secretKey = "SKh0st1le!#$%&'*+-.^_`|~:/?@[]=,;<>(){}\"\\x9876"
    static let flowToken = "UWh0st1le%token+0001/="
    static var secrets: [String] { [keyID, secretKey, flowToken] }

    /// `bulwark exchange` on a free port of 127.0.0.1 that knows the three secrets, with its book in
    /// `folder/exchange`, and its base URL once it listens.
    static func startExchange(in folder: String) async throws -> (RunningBinary, String) {
        let exchange = try RunningBinary(
            ["exchange", "--port", "0", "--seed", "7", "--key-id", keyID, "--secret-key", secretKey, "--uw-token", flowToken,
             "--state-dir", "exchange", "--alert-interval-seconds", "2", "--session", "always"],
            in: folder)
        let line = try await exchange.line(containing: "listening on http://127.0.0.1:", within: 60)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        return (exchange, url)
    }

    /// The environment of a `bulwark run` that trades against the exchange at `url` with the secrets, and
    /// takes any flow alert as a reason to trade; its dashboard on a port the system chooses (named in its log).
    static func environment(exchange url: String) -> [String: String] {
        [
            "APCA_API_KEY_ID": keyID, "APCA_API_SECRET_KEY": secretKey, "UW_API_TOKEN": flowToken,
            "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url, "UW_POLL_SECONDS": "1",
            "DASHBOARD_PORT": "any", "MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01",
        ]
    }

    /// The dashboard's health, metrics and page answers, as `(GET path, body)`.
    static func dashboardAnswers(_ url: String) async -> [(String, String)] {
        var answers: [(String, String)] = []
        for path in ["/api/system/health", "/metrics", "/"] {
            answers.append(("GET \(path)", (try? await Curl.run(["\(url)\(path)"]).body) ?? ""))
        }
        return answers
    }

    /// Every file under `folder` (recursively) as text, with its path.
    static func files(under folder: String) -> [(String, String)] {
        guard let names = FileManager.default.subpaths(atPath: folder) else { return [] }
        return names.compactMap { name in
            let path = folder + "/" + name
            // Regular files only, not following links (a FIFO or a socket would block the read).
            let type = (try? FileManager.default.attributesOfItem(atPath: path))?[.type] as? FileAttributeType
            guard type == .typeRegular else { return nil }
            guard let data = FileManager.default.contents(atPath: path) else { return nil }
            return (path, String(decoding: data, as: UTF8.self))
        }
    }

    /// The forms a secret could leak in: raw, written-out escapes, JSON-escaped, percent-encoded.
    static func forms(of secret: String) -> [String] {
        var forms = [secret, String(String(reflecting: secret).dropFirst().dropLast())]
        if let json = try? JSONEncoder().encode([secret]), let text = String(data: json, encoding: .utf8) {
            forms.append(String(text.dropFirst(2).dropLast(2)))
        }
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: unreserved) { forms.append(encoded) }
        return forms
    }

    /// Every run of `length` characters inside a secret, leaving out what its mask shows (the first 2 and
    /// the last 4): a secret cut by the edge of a pane or a line still shows one of these.
    static func fragments(of secret: String, length: Int = 10) -> [String] {
        let inner = Array(secret.dropFirst(2).dropLast(4))
        guard inner.count >= length else { return [String(inner)] }
        return (0...(inner.count - length)).map { String(inner[$0..<$0 + length]) }
    }

    /// Where (if anywhere) a form of one of `secrets` appears among `outputs`; with `fragments`, a piece of
    /// one (see `fragments(of:)`) counts too.
    static func leaks(_ secrets: [String], in outputs: [(String, String)], fragments: Bool = false) -> [String] {
        var found: [String] = []
        for secret in secrets {
            let pieces = forms(of: secret) + (fragments ? Self.fragments(of: secret) : [])
            for (place, text) in outputs {
                if let piece = pieces.first(where: { text.contains($0) }) { found.append("\(String(reflecting: piece)) in \(place)") }
            }
        }
        return found
    }
}
