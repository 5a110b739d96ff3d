import Primitives
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
    /// The order journal (the audit trail) could not be written: no order may go out unrecorded.
    public static let journalWrite = HaltCode(known: FailureReason.journal.rawValue)
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
        "FAILED_RESTARTS", "FAILED_JOURNAL",
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

/// A halt held by the system (or the kill switch) for one reason: one entry of `TradingStateLedger`.
public struct TradingHold: Hashable, Sendable, Codable {
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
