import Foundation
import Primitives
import Strategies

/// One tick's flow signals as the strategy is to see them: oldest first; an entry signal (a call alert)
/// older than the maximum age skipped as stale; opposite signals (a call and a put, both strong enough
/// to act on) for one symbol in one batch canceling out. Pure: the engine logs and counts what it skips.
public struct SignalBatch: Sendable, Hashable {
    public enum SkipReason: String, Sendable, Hashable, CaseIterable {
        /// An entry signal older than `MAX_SIGNAL_AGE_SECONDS`.
        case stale
        /// A call and a put for one symbol in one batch.
        case opposite
    }

    public struct Skipped: Sendable, Hashable {
        public var signal: FlowSignal
        public var reason: SkipReason
        /// Why, in words for the operator.
        public var detail: String
    }

    /// The signals to act on, oldest first.
    public var signals: [FlowSignal]
    public var skipped: [Skipped]

    /// `isActionable`: whether the strategy would act on a signal at all (a weak one cancels nothing).
    public init(_ incoming: [FlowSignal], now: Timestamp, maxAge: Duration, isActionable: (FlowSignal) -> Bool) {
        let ordered = incoming.sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        var kept: [FlowSignal] = []
        var skipped: [Skipped] = []
        for signal in ordered {
            let age = signal.createdAt.duration(to: now)
            if signal.kind == .call, age > maxAge {
                skipped.append(Skipped(
                    signal: signal, reason: .stale,
                    detail: "entry signal \(Self.seconds(age)) s old, older than MAX_SIGNAL_AGE_SECONDS=\(Self.seconds(maxAge))"))
            } else {
                kept.append(signal)
            }
        }
        var kinds: [Symbol: Set<FlowSignal.Kind>] = [:]
        for signal in kept where isActionable(signal) { kinds[signal.symbol, default: []].insert(signal.kind) }
        let contested = Set(kinds.filter { $0.value.count > 1 }.keys)
        var signals: [FlowSignal] = []
        for signal in kept {
            if contested.contains(signal.symbol), isActionable(signal) {
                skipped.append(Skipped(
                    signal: signal, reason: .opposite,
                    detail: "a call and a put for \(signal.symbol) in one batch cancel out"))
            } else {
                signals.append(signal)
            }
        }
        self.signals = signals
        self.skipped = skipped
    }

    private static func seconds(_ duration: Duration) -> Int64 {
        duration.components.seconds
    }
}
