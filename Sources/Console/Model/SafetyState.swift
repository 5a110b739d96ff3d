import Primitives

/// Why trading is not ACTIVE, in the words the header, the banner and the `w` overlay share: always
/// from the live data (never the frozen copy), so the safety state is never hidden.
public struct SafetyState: Hashable, Sendable {
    public var mode: TradingState.Mode
    /// The whole reason ("" when none was given).
    public var reason: String
    public var actor: TradingState.Actor
    public var since: Timestamp
    /// How long ago it began, at the live clock.
    public var age: String
    /// The kill-switch file `state/HALT` holds it.
    public var isKillSwitch: Bool
    /// The exact way out, short enough for the banner.
    public var wayOut: String

    /// The safety state of the live data, or nil while trading is ACTIVE (or not known yet).
    public init?(_ model: ConsoleModel) {
        guard let trading = model.live.trading, trading.mode != .active else { return nil }
        mode = trading.mode
        reason = trading.reason ?? ""
        actor = trading.actor
        since = trading.since
        age = TextFormat.age(of: trading.since, at: model.live.clock ?? trading.since)
        isKillSwitch = reason.contains("state/HALT")
        if isKillSwitch {
            wayOut = model.readOnly ? "remove state/HALT, then resume" : "remove state/HALT, then press r"
        } else {
            wayOut = model.readOnly ? "resume from a console that is not read-only" : "press r to resume"
        }
    }

    /// `HALTED by system 5m 00s ago`.
    public var headline: String {
        "\(mode.rawValue) by \(actor.rawValue) \(age) ago"
    }

    /// The lines of the `w` overlay: everything, nothing cut.
    public var detailLines: [String] {
        [
            mode == .halted ? "Trading is HALTED: nothing new is sent." : "Trading is REDUCING: only orders that shrink a position are sent.",
            "Reason: " + (reason.isEmpty ? "none given" : reason),
            "By: \(actor.rawValue)",
            "Since: \(TextFormat.dateTime(since)) (\(age) ago)",
            "Way out: " + wayOut,
        ]
    }
}
