import Logging
import Primitives
import Synchronization

/// Which chaos modes are on. Read on every API request (by the chaos transport) and toggled by the
/// operator or at start from `CHAOS_MODE`. Locked — every toggle refused, loudly — against a live account.
public final class ChaosSwitchboard: Sendable {
    public struct Refusal: OperatorError {
        public var message: String
        public var description: String { message }
        public var errorCode: String { "chaos.locked" }
    }

    public let isLocked: Bool
    private let modes: Mutex<Set<ChaosMode>>
    private let bus: EventBus?
    private let logger: Logger

    /// `locked` is true when the broker is live; `initial` modes must then be empty (the configuration
    /// refuses CHAOS_MODE with a live broker before this is made).
    public init(locked: Bool, initial: [ChaosMode] = [], bus: EventBus? = nil, logger: Logger) {
        precondition(!locked || initial.isEmpty, "chaos modes cannot start on against a live account")
        self.isLocked = locked
        self.modes = Mutex(Set(initial))
        self.bus = bus
        self.logger = logger
        for mode in initial {
            logger.warning("chaos mode on from CHAOS_MODE", metadata: ["mode": "\(mode.rawValue)"])
            bus?.publish(.chaosMode(mode, enabled: true))
        }
    }

    public var activeModes: Set<ChaosMode> { modes.withLock { $0 } }

    public func isOn(_ mode: ChaosMode) -> Bool { modes.withLock { $0.contains(mode) } }

    /// Switches `mode` on or off; returns whether anything changed. Refused when locked.
    @discardableResult
    public func set(_ mode: ChaosMode, on: Bool) throws(Refusal) -> Bool {
        guard !isLocked else {
            logger.error("chaos refused: the broker is Alpaca live", metadata: ["mode": "\(mode.rawValue)", "on": "\(on)"])
            throw Refusal(message: "chaos mode \(mode.rawValue) refused: chaos is locked while trading a live account")
        }
        let changed = modes.withLock { modes in on ? modes.insert(mode).inserted : modes.remove(mode) != nil }
        if changed {
            logger.warning("chaos mode \(on ? "on" : "off")", metadata: ["mode": "\(mode.rawValue)"])
            bus?.publish(.chaosMode(mode, enabled: on))
        }
        return changed
    }
}
