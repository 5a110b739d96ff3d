import Foundation
import Logging
import Persistence
import Primitives
import TradingModel

/// Shared fixtures of the state tests (the state store, the engine and the supervisor use them).
public enum StateSamples {
    public static let start = Timestamp(rfc3339: "2026-01-05T14:30:00Z")!
    public static let aapl = Symbol("AAPL")!
    public static let msft = Symbol("MSFT")!
    public static let tsla = Symbol("TSLA")!

    /// A state using every field: long and short positions, exact money, a hold, intents with and without
    /// a limit, and text that needs escaping.
    public static func rich(at time: Timestamp = start) -> PersistentState {
        var trading = TradingStateLedger.active(since: time)
        trading.choose(.reducing, reason: "operator: \"close only\" ✓", at: time)
        trading.hold(.killSwitch, reason: KillSwitch.reason, actor: .operator, at: time.advanced(by: .seconds(5)))
        return PersistentState(
            positions: [
                aapl: Position(symbol: aapl, quantity: 10, averageEntryPrice: Decimal(string: "187.25")!, openedAt: time),
                tsla: Position(symbol: tsla, quantity: -3, averageEntryPrice: Decimal(string: "0.1")!, openedAt: time),
            ],
            realizedPnL: Decimal(string: "-1234.5678901234567890123456789")!,
            lastTradeAt: [aapl: time, msft: time.advanced(by: .milliseconds(1500))],
            trading: trading,
            pendingIntents: [
                OrderIntent(
                    clientOrderID: "bw-1", symbol: aapl, side: .buy, quantity: 5, limitPrice: Decimal(string: "187.5")!,
                    createdAt: time),
                OrderIntent(clientOrderID: "bw-2", symbol: tsla, side: .sell, quantity: 1, limitPrice: nil, createdAt: time),
            ],
            lastFlowAlertID: "alert \"42\"\n\\")
    }

    public static func openStore(
        _ directory: String, clock: ManualClock = ManualClock(now: start), bus: EventBus? = nil,
        log: LogCapture = LogCapture()
    ) throws -> StateStore {
        try StateStore(directory: directory, clock: clock, bus: bus, logger: log.logger)
    }

    public static func statePath(_ directory: String) -> String { directory + "/" + StateFileFormat.fileName }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    public static func read(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map { [UInt8]($0) }
    }

    /// The state decoded from the file in `directory`, or `nil` if it is not a valid state.
    public static func decodedState(in directory: String) -> PersistentState? {
        guard let bytes = read(statePath(directory)),
            case .valid(let state, _, _) = StateFileFormat.decode(bytes, now: start)
        else { return nil }
        return state
    }

    public static func mode(of path: String) -> mode_t {
        var info = stat()
        guard lstat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o7777
    }

    /// Names in `directory` that start with `prefix`.
    public static func files(in directory: String, prefix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasPrefix(prefix) }.sorted()
    }
}
