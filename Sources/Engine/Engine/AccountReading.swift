import Primitives
import Synchronization
import TradingModel

/// When the loop reads the account again: once it is `maxAge` old, or as soon as the positions changed
/// since it was read (a fill, or a reconciliation that adjusted them). In between, the tick uses the
/// account as last read, so an idle engine asks `GET /v2/account` about once a minute, not every tick.
/// A failed read keeps nothing: the next tick reads again.
final class AccountReading: Sendable {
    private struct Reading {
        var account: AccountSnapshot
        var at: Timestamp
        var positions: [Symbol: Position]
    }

    let maxAge: Duration
    private let last = Mutex<Reading?>(nil)

    init(maxAge: Duration) {
        self.maxAge = maxAge
    }

    /// The account, read with `read` when due; `positions` are the state's now.
    func account(
        now: Timestamp, positions: [Symbol: Position], read: () async throws -> AccountSnapshot
    ) async throws -> (account: AccountSnapshot, fresh: Bool) {
        if let reading = last.withLock({ $0 }), reading.positions == positions, now < reading.at.advanced(by: maxAge) {
            return (reading.account, false)
        }
        do {
            let account = try await read()
            last.withLock { $0 = Reading(account: account, at: now, positions: positions) }
            return (account, true)
        } catch {
            last.withLock { $0 = nil }
            throw error
        }
    }

    /// The next tick reads the account whatever its age.
    func forget() { last.withLock { $0 = nil } }
}
