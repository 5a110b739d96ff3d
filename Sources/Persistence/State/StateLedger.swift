import Primitives
import TradingModel

/// The saved trading state as a reader sees it: a copy of what is in memory (ahead of the file only while
/// a write fails, and then trading is held). The flow feed needs no more.
public protocol StateReader: Sendable {
    var state: PersistentState { get }
}

/// The saved trading state as the order executor changes it: each change applied and written before the
/// call returns, or thrown (the change kept in memory, trading held FAILED_STATE) — so an intent whose
/// `update` threw is never sent. `StateStore` is the one in production; a test may put another in.
public protocol StateLedger: StateReader {
    @discardableResult
    func update<T: Sendable>(_ change: (inout PersistentState) -> T) throws(StateStoreError) -> T
}

extension StateStore: StateLedger {}
