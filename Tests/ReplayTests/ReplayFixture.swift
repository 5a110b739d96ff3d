import Foundation
import Replay
import Settings
import TestSupport

/// The small recording the replay tests work out by hand, and the settings they run it with.
///
/// Times are from T0 = 1767623400000 (2026-01-05T14:30:00Z); the session is `always`, so the market is
/// open throughout. With the settings below (the documented defaults, written out), the replay goes:
///
/// - T0: AAPL 100.00 / 100.10. T0+0.5 s: call alert a1, premium 200,000, 75% at the ask → strong.
///   Entry: limit = 100.10 × 1.001 = 100.2001 → 100.21 (cents, up); 400 / 100.21 = 3.99 → 3 shares;
///   notional 300.63 ≤ 500 and ≤ 2,000. The book fills at the ask, 100.10.
/// - T0+60 s: AAPL 104.20 / 104.30. (104.20 − 100.10) / 100.10 = 4.1% ≥ 4% → take profit, a sell limit
///   at the bid 104.20, filled there: PnL 3 × 4.10 = +12.30.
/// - T0+120 s: AAPL 104.00 / 104.10, then call alert a2 (premium 300,000, 80%). The last AAPL trade was
///   60 s ago, under MIN_COOLDOWN_MINUTES = 5 → the guard refuses it: `cooldown`.
/// - T0+400 s: MSFT 50.00 / 50.02; T0+400.5 s: call alert m1 (premium 500,000, 80%). Limit 50.02 × 1.001
///   = 50.07002 → 50.08; 400 / 50.08 = 7.98 → 7 shares (350.56). Filled at 50.02.
/// - T0+460 s: MSFT 48.90 / 48.92. (48.90 − 50.02) / 50.02 = −2.24% ≤ −2% → stop loss, a market sell at
///   the bid 48.90: PnL 7 × −1.12 = −7.84.
/// - T0+500 s: NVDA call alert n1 with premium 50,000: under MIN_FLOW_PREMIUM_USD, ignored.
///
/// So: 2 trades, 1 won (50.0%), realised +12.30 − 7.84 = +4.46; 4 orders sent and filled; 1 guard
/// rejection (`cooldown`). Equity (positions at the mid, read at each tick): the peak is 100,012.45 at
/// T0+60 s (cash 99,699.70 + 3 × mid 104.25), the trough the end, 100,004.46 → max drawdown 7.99.
enum ReplayFixture {
    static let recording = """
        {"bulwark_market":1,"session":"always","source":"hand-made fixture"}
        {"quote":"AAPL","bid":"100.00","ask":"100.10","t":1767623400000}
        {"flow":"AAPL","id":"a1","kind":"call","premium":"200000","ask_premium":"150000","t":1767623400500}
        {"quote":"AAPL","bid":"104.20","ask":"104.30","t":1767623460000}
        {"quote":"AAPL","bid":"104.00","ask":"104.10","t":1767623520000}
        {"flow":"AAPL","id":"a2","kind":"call","premium":"300000","ask_premium":"240000","t":1767623520000}
        {"quote":"MSFT","bid":"50.00","ask":"50.02","t":1767623800000}
        {"flow":"MSFT","id":"m1","kind":"call","premium":"500000","ask_premium":"400000","t":1767623800500}
        {"quote":"MSFT","bid":"48.90","ask":"48.92","t":1767623860000}
        {"flow":"NVDA","id":"n1","kind":"call","premium":"50000","ask_premium":"45000","t":1767623900000}

        """

    /// Every setting the hand calculation uses, at its documented default.
    static let environment = """
        MAX_POSITION_SIZE_USD=500
        MAX_NOTIONAL_PER_ORDER=2000
        MAX_PORTFOLIO_EXPOSURE_PCT=0.30
        MAX_CONCENTRATION_PER_SYMBOL_PCT=0.15
        MAX_PRICE_DEVIATION_PCT=0.05
        MIN_COOLDOWN_MINUTES=5
        QUOTE_MAX_AGE_SECONDS=60
        MAX_SIGNAL_AGE_SECONDS=60
        MIN_FLOW_PREMIUM_USD=100000
        MIN_ASK_SIDE_SHARE=0.6
        ORDER_NOTIONAL_USD=400
        ENTRY_SLIPPAGE_PCT=0.001
        TAKE_PROFIT_PCT=0.04
        STOP_LOSS_PCT=0.02
        MAX_HOLD_MINUTES=120

        """

    /// The settings from `environment` with `extra` lines appended (a later line wins).
    static func settings(in folder: TemporaryFolder, extra: String = "") throws -> ReplaySettings {
        folder.write("replay.env", environment + extra)
        let loaded = try BulwarkConfiguration.load(
            ConfigurationInputs(environment: [:], workingDirectory: folder.path, envFile: folder.path + "/replay.env"))
        return ReplaySettings(configuration: loaded.configuration)
    }

    /// Replays `text` (written to `name` in `folder`) with `settings`; the result and its report.
    static func replay(_ text: String = recording, name: String = "fixture.jsonl", in folder: TemporaryFolder, settings: ReplaySettings) async throws
        -> (result: ReplayResult, report: String)
    {
        folder.write(name, text)
        let file = folder.path + "/" + name
        let recording = try RecordingReader().read(files: [file])
        let run = try ReplayFolder()
        defer { run.remove() }
        let result = try await ReplaySession(settings: settings).run(recording, directory: run.path)
        return (result, ReplayReport.text(result, files: [name]))
    }
}
