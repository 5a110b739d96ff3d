import Foundation
import Testing

/// A standalone `bulwark exchange` that sends an alert a second, open around the clock, with no rate
/// limit to speak of, and the settings under which `bulwark run --headless` acts on nearly every alert at
/// once (no cooldown, any premium, alerts up to an hour old): what the crash and heal tests trade on.
struct BusyExchange {
    let process: RunningBinary
    let url: String
    let environment: [String: String]

    /// Starts it in `folder` (its book in `folder/exchange`) with the given keys, and waits until it listens.
    static func start(seed: Int, key: String, secret: String, token: String, in folder: String) async throws -> BusyExchange {
        let process = try RunningBinary(
            ["exchange", "--port", "0", "--seed", "\(seed)", "--key-id", key, "--secret-key", secret, "--uw-token", token,
             "--state-dir", "exchange", "--alert-interval-seconds", "1", "--rate-limit", "100000", "--session", "always"],
            in: folder)
        let line = try await process.line(containing: "listening on http://127.0.0.1:", within: 60)
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map(String.init))
        let environment = [
            "APCA_API_KEY_ID": key, "APCA_API_SECRET_KEY": secret, "UW_API_TOKEN": token,
            "APCA_API_BASE_URL": url, "APCA_API_DATA_URL": url, "UW_API_BASE_URL": url,
            "MIN_COOLDOWN_MINUTES": "0", "UW_POLL_SECONDS": "1", "MIN_FLOW_PREMIUM_USD": "1", "MIN_ASK_SIDE_SHARE": "0.01",
            "ENTRY_SLIPPAGE_PCT": "0.01", "DASHBOARD_PORT": "0", "MAX_SIGNAL_AGE_SECONDS": "3600",
        ]
        return BusyExchange(process: process, url: url, environment: environment)
    }
}
