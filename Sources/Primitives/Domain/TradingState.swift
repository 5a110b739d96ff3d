/// Whether Bulwark may trade: ACTIVE, HALTED (nothing new is sent) or REDUCING (only orders that shrink a
/// position), with why, who and since when.
public struct TradingState: Hashable, Sendable, Codable {
    public enum Mode: String, Hashable, Sendable, Codable, CaseIterable {
        case active = "ACTIVE"
        case halted = "HALTED"
        case reducing = "REDUCING"
    }

    public enum Actor: String, Hashable, Sendable, Codable {
        case `operator`
        case system
    }

    public var mode: Mode
    public var reason: String?
    public var actor: Actor
    public var since: Timestamp

    public init(mode: Mode, reason: String?, actor: Actor, since: Timestamp) {
        self.mode = mode
        self.reason = reason
        self.actor = actor
        self.since = since
    }
}
