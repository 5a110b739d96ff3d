/// Why the system holds trading halted. Each code is held at most once and released only by the part
/// that set it, so lifting one never lifts another, nor a halt the operator chose.
public struct HaltCode: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Self.known.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(known: String) { self.rawValue = known }

    /// `state/HALT` exists.
    public static let killSwitch = HaltCode(known: "KILL_SWITCH")
    /// The state file could not be written.
    public static let stateWrite = HaltCode(known: FailureReason.state.rawValue)
    /// The broker could not be reconciled with (or has not been since the state was lost).
    public static let reconciliation = HaltCode(known: FailureReason.reconciliation.rawValue)

    /// The credentials were refused (AUTH): the configuration must be fixed.
    public static let config = HaltCode(known: FailureReason.config.rawValue)
    /// An API answered out of contract (SCHEMA): this build must be updated.
    public static let apiSchema = HaltCode(known: FailureReason.apiSchema.rawValue)
    /// Starting: trading waits until the state is reconciled with the broker.
    public static let startup = HaltCode(known: "STARTING")
    /// The supervisor gave up restarting a critical service. No new entries, but exits are still managed
    /// (the positions stay watched), so this one holds REDUCING rather than HALTED.
    public static let restarts = HaltCode(known: FailureReason.restarts.rawValue)

    private static let known: Set<String> = [
        "KILL_SWITCH", "FAILED_STATE", "FAILED_RECONCILIATION", "FAILED_CONFIG", "FAILED_API_SCHEMA", "STARTING",
        "FAILED_RESTARTS",
    ]

    /// The state this hold puts trading in: REDUCING for `restarts`, HALTED for every other.
    public var mode: TradingState.Mode { self == .restarts ? .reducing : .halted }

    public var description: String { rawValue }
    public static func < (lhs: HaltCode, rhs: HaltCode) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let code = HaltCode(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown halt code \"\(raw.prefix(64))\"")
        }
        self = code
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// Whether Bulwark may trade, in two layers: the state the operator chose (ACTIVE, HALTED or REDUCING),
/// and the holds the system places on top of it. The strictest of them is in force: a halting hold (the
/// newest one) over anything; then the operator's HALTED; then a reducing hold; then the operator's choice.
/// When the last hold is released, the operator's choice is in force again.
public struct TradingStateLedger: Hashable, Sendable {
    /// A halt held by the system (or the kill switch) for one reason.
    public struct Hold: Hashable, Sendable, Codable {
        public var code: HaltCode
        public var reason: String
        public var actor: TradingState.Actor
        public var since: Timestamp

        public init(code: HaltCode, reason: String, actor: TradingState.Actor, since: Timestamp) {
            self.code = code
            self.reason = reason
            self.actor = actor
            self.since = since
        }

        public var state: TradingState { TradingState(mode: code.mode, reason: reason, actor: actor, since: since) }
    }

    /// What the operator chose (or the initial ACTIVE state), in force when no hold is.
    public private(set) var chosen: TradingState
    /// Halts in force, oldest first.
    public private(set) var holds: [Hold]

    public init(chosen: TradingState, holds: [Hold] = []) {
        self.chosen = chosen
        self.holds = holds
    }

    /// A fresh ledger: ACTIVE, set by the system at `time`.
    public static func active(since time: Timestamp) -> TradingStateLedger {
        TradingStateLedger(chosen: TradingState(mode: .active, reason: nil, actor: .system, since: time))
    }

    /// The state in force: the strictest of the holds and the operator's choice (the newest hold among
    /// equally strict holds; a hold before the operator's choice when equally strict).
    public var effective: TradingState {
        if let halting = holds.last(where: { $0.code.mode == .halted }) { return halting.state }
        if chosen.mode == .halted { return chosen }
        if let reducing = holds.last(where: { $0.code.mode == .reducing }) { return reducing.state }
        return chosen
    }

    public func isHeld(_ code: HaltCode) -> Bool { holds.contains { $0.code == code } }

    /// Places (or re-words) the hold `code`. A re-worded hold keeps its place and its `since`.
    /// Returns whether the effective state changed.
    @discardableResult
    public mutating func hold(
        _ code: HaltCode, reason: String, actor: TradingState.Actor = .system, at time: Timestamp
    ) -> Bool {
        let before = effective
        if let index = holds.firstIndex(where: { $0.code == code }) {
            holds[index].reason = reason
            holds[index].actor = actor
        } else {
            holds.append(Hold(code: code, reason: reason, actor: actor, since: time))
        }
        return effective != before
    }

    /// Releases the hold `code`, if held; nothing else. Returns whether the effective state changed.
    @discardableResult
    public mutating func release(_ code: HaltCode, at time: Timestamp) -> Bool {
        guard let index = holds.firstIndex(where: { $0.code == code }) else { return false }
        let before = effective
        holds.remove(at: index)
        if holds.isEmpty {
            // The operator's choice is in force again from now on.
            chosen.since = time
        }
        return effective != before
    }

    /// The operator (or the engine on their behalf) chooses a mode. Holds stay in place: the operator
    /// cannot resume over a kill switch, a failed write or a failed reconciliation.
    /// Returns whether the effective state changed.
    @discardableResult
    public mutating func choose(_ mode: TradingState.Mode, reason: String?, actor: TradingState.Actor = .operator, at time: Timestamp) -> Bool {
        let before = effective
        chosen = TradingState(mode: mode, reason: reason, actor: actor, since: time)
        return effective != before
    }
}
