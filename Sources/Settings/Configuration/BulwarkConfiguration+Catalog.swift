import Primitives
extension BulwarkConfiguration {
    /// One configuration variable: its name, default and what it accepts. The README's table lists
    /// exactly these (a test keeps the two in step).
    public struct Variable: Sendable, Hashable {
        public var name: String
        public var defaultValue: String
        public var accepted: String
        public var isSecret: Bool
    }

    public static let defaultTradingBaseURL = "https://paper-api.alpaca.markets"
    public static let liveTradingHost = "api.alpaca.markets"
    public static let paperTradingHost = "paper-api.alpaca.markets"
    public static let defaultDataBaseURL = "https://data.alpaca.markets"
    public static let defaultFlowBaseURL = "https://api.unusualwhales.com"

    public static let catalog: [Variable] = [
        Variable(name: "APCA_API_KEY_ID", defaultValue: "(none)", accepted: "Alpaca key id; with the secret key, trades on Alpaca instead of the embedded exchange", isSecret: true),
        Variable(name: "APCA_API_SECRET_KEY", defaultValue: "(none)", accepted: "Alpaca secret key; required with APCA_API_KEY_ID", isSecret: true),
        Variable(name: "APCA_API_BASE_URL", defaultValue: defaultTradingBaseURL, accepted: "https URL (http only for loopback); the live host needs --live", isSecret: false),
        Variable(name: "APCA_API_DATA_URL", defaultValue: defaultDataBaseURL, accepted: "https URL (http only for loopback)", isSecret: false),
        Variable(name: "UW_API_TOKEN", defaultValue: "(none)", accepted: "Unusual Whales token; required when trading on Alpaca", isSecret: true),
        Variable(name: "UW_API_BASE_URL", defaultValue: defaultFlowBaseURL, accepted: "https URL (http only for loopback)", isSecret: false),
        Variable(name: "MAX_POSITION_SIZE_USD", defaultValue: "500", accepted: "number > 0", isSecret: false),
        Variable(name: "MAX_NOTIONAL_PER_ORDER", defaultValue: "2000", accepted: "number > 0", isSecret: false),
        Variable(name: "MAX_PORTFOLIO_EXPOSURE_PCT", defaultValue: "0.30", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "MAX_CONCENTRATION_PER_SYMBOL_PCT", defaultValue: "0.15", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "MAX_PRICE_DEVIATION_PCT", defaultValue: "0.05", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "MIN_COOLDOWN_MINUTES", defaultValue: "5", accepted: "whole number 0–10080", isSecret: false),
        Variable(name: "QUOTE_MAX_AGE_SECONDS", defaultValue: "60", accepted: "whole number 1–3600", isSecret: false),
        Variable(name: "UW_POLL_SECONDS", defaultValue: "15", accepted: "whole number 1–3600", isSecret: false),
        Variable(name: "MAX_SIGNAL_AGE_SECONDS", defaultValue: "60", accepted: "whole number 1–3600", isSecret: false),
        Variable(name: "MIN_FLOW_PREMIUM_USD", defaultValue: "100000", accepted: "number > 0", isSecret: false),
        Variable(name: "MIN_ASK_SIDE_SHARE", defaultValue: "0.6", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "SYMBOL_WATCHLIST", defaultValue: "(empty: any)", accepted: "comma-separated ticker symbols", isSecret: false),
        Variable(name: "ORDER_NOTIONAL_USD", defaultValue: "400", accepted: "number > 0", isSecret: false),
        Variable(name: "ENTRY_SLIPPAGE_PCT", defaultValue: "0.001", accepted: "fraction in [0, 0.1]", isSecret: false),
        Variable(name: "TAKE_PROFIT_PCT", defaultValue: "0.04", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "STOP_LOSS_PCT", defaultValue: "0.02", accepted: "fraction in (0, 1]", isSecret: false),
        Variable(name: "MAX_HOLD_MINUTES", defaultValue: "120", accepted: "whole number 1–10080", isSecret: false),
        Variable(name: "SUPERVISOR_MAX_RESTARTS", defaultValue: "5", accepted: "whole number 1–100", isSecret: false),
        Variable(name: "SUPERVISOR_RESTART_WINDOW_MINUTES", defaultValue: "10", accepted: "whole number 1–1440", isSecret: false),
        Variable(name: "DASHBOARD_PORT", defaultValue: "8787", accepted: "whole number 0–65535 (0 disables; bound to 127.0.0.1)", isSecret: false),
        Variable(name: "ORDER_JOURNAL_MAX_MB", defaultValue: "50", accepted: "whole number 1–10240; logs/orders.jsonl rotates at this size to .1 … .5", isSecret: false),
        Variable(name: "BULWARK_THEME", defaultValue: "default", accepted: "a theme name in the themes folder (or a path to a .theme file); `--theme` overrides it", isSecret: false),
        Variable(name: "BULWARK_ON_HANGUP", defaultValue: "detach", accepted: "detach, halt or stop: what the console of `bulwark run` does when its terminal hangs up (SIGHUP)", isSecret: false),
        Variable(name: "RECORD_MARKET", defaultValue: "0", accepted: "1 or 0: record every quote read and flow alert received to logs/market/YYYY-MM-DD.NNN.jsonl (daily, capped at ORDER_JOURNAL_MAX_MB a file) for `bulwark replay`", isSecret: false),
        Variable(name: "CHAOS_MODE", defaultValue: "(none)", accepted: "comma-separated: " + ChaosMode.allCases.map(\.rawValue).joined(separator: ", ") + "; refused with a live broker", isSecret: false),
    ]

    static let secretNames: Set<String> = Set(catalog.filter(\.isSecret).map(\.name))
    static let knownNames: Set<String> = Set(catalog.map(\.name))
}
