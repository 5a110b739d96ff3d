import Primitives
/// Where the trading loop is: when its last tick ended, and since when a tick (or the start-up) has
/// been running, if one is.
public struct LoopPulse: Hashable, Sendable {
    public var lastTickEnded: Timestamp?
    public var busySince: Timestamp?

    public init(lastTickEnded: Timestamp?, busySince: Timestamp?) {
        self.lastTickEnded = lastTickEnded
        self.busySince = busySince
    }
}
