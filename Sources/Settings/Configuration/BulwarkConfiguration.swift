import Foundation
import Primitives
import Strategies
import TradingModel

/// Everything Bulwark is configured with, validated and typed. Built once at start by
/// `BulwarkConfiguration.load` and never changed afterwards.
public struct BulwarkConfiguration: Sendable {
    /// Which broker Bulwark trades with.
    public enum Broker: Sendable, Hashable {
        /// No Alpaca keys: the embedded paper exchange on loopback.
        case embedded
        /// Alpaca's paper endpoint, or another paper-compatible exchange on loopback.
        case paper(Endpoints)
        /// Real money. Only with `--live`.
        case live(Endpoints)

        /// SIM, PAPER or LIVE, as the console's header shows it.
        public var label: String {
            switch self {
            case .embedded: "SIM"
            case .paper: "PAPER"
            case .live: "LIVE"
            }
        }

        public var isLive: Bool {
            if case .live = self { return true }
            return false
        }
    }

    /// Where the outside APIs are and how Bulwark proves who it is.
    public struct Endpoints: Sendable, Hashable {
        public var tradingBaseURL: URL
        public var dataBaseURL: URL
        public var keyID: Secret
        public var secretKey: Secret
        public var flowBaseURL: URL
        public var flowToken: Secret

        public init(tradingBaseURL: URL, dataBaseURL: URL, keyID: Secret, secretKey: Secret, flowBaseURL: URL, flowToken: Secret) {
            self.tradingBaseURL = tradingBaseURL
            self.dataBaseURL = dataBaseURL
            self.keyID = keyID
            self.secretKey = secretKey
            self.flowBaseURL = flowBaseURL
            self.flowToken = flowToken
        }
    }

    /// What the console of `bulwark run` does when its terminal hangs up (SIGHUP: the SSH connection
    /// dropped, the tmux session was killed).
    public enum HangupPolicy: String, Sendable, Hashable, CaseIterable {
        /// Release the terminal and keep trading headless; `bulwark attach` shows it again.
        case detach
        /// Halt trading, then detach.
        case halt
        /// Stop gracefully, as SIGTERM does.
        case stop
    }

    /// The trade guard's limits.
    public struct RiskLimits: Sendable, Hashable {
        public var maxPositionSizeUSD: Decimal
        public var maxNotionalPerOrder: Decimal
        public var maxPortfolioExposurePct: Decimal
        public var maxConcentrationPerSymbolPct: Decimal
        public var maxPriceDeviationPct: Decimal
        public var minCooldownMinutes: Int
        public var quoteMaxAgeSeconds: Int
    }

    public struct Supervisor: Sendable, Hashable {
        public var maxRestarts: Int
        public var restartWindowMinutes: Int
    }

    /// The folders Bulwark reads and writes, as absolute paths.
    public struct Paths: Sendable, Hashable {
        public var stateDirectory: String
        public var logsDirectory: String
        public var themesDirectory: String
    }

    public var broker: Broker
    public var limits: RiskLimits
    public var supervisor: Supervisor
    /// 0 disables the dashboard endpoint; it is always bound to 127.0.0.1. `anyDashboardPort` (set by
    /// `DASHBOARD_PORT=any`) lets the system choose a free port, named in the log line "dashboard listening".
    public var dashboardPort: Int
    /// `dashboardPort` when the system chooses the port (`DASHBOARD_PORT=any`), e.g. for tests that must not race for one.
    public static let anyDashboardPort = -1
    /// `logs/orders.jsonl` is rotated when it reaches this size.
    public var orderJournalMaxBytes: Int
    public var chaosModes: [ChaosMode]
    /// The default strategy's settings.
    public var strategy: FlowFollowingStrategy.Settings
    /// How often the flow feed is polled (`UW_POLL_SECONDS`).
    public var flowPollInterval: Duration
    /// An entry signal older than this is skipped (`MAX_SIGNAL_AGE_SECONDS`).
    public var maxSignalAge: Duration = .seconds(60)
    public var paths: Paths
    /// The console's theme (`BULWARK_THEME`), a name or a path; nil for the default.
    public var theme: String?
    /// Where the `.env` values came from, if a file was read.
    public var envFile: String?
    /// `BULWARK_ON_HANGUP`: what the console does on SIGHUP (headless runs keep stopping gracefully).
    public var onHangup: HangupPolicy = .detach
    /// `RECORD_MARKET`: record every quote read and flow alert received under `logs/market/` (for `bulwark replay`).
    public var recordMarket = false

    /// Every credential in use, so logs and screens can redact them.
    public var secrets: [Secret] {
        switch broker {
        case .embedded: []
        case .paper(let endpoints), .live(let endpoints):
            [endpoints.keyID, endpoints.secretKey, endpoints.flowToken]
        }
    }
}
