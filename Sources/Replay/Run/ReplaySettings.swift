import Foundation
import RiskGuard
import Settings
import Strategies

/// What a replay runs with: the guard's limits and the strategy's settings as the configuration gives them
/// (`.env`, `--env-file`, the environment), the signal age limit, and the paper account's starting cash.
public struct ReplaySettings: Sendable, Hashable {
    public var limits: GuardLimits
    public var strategy: FlowFollowingStrategy.Settings
    public var maxSignalAge: Duration
    public var startingCash: Decimal
    /// How often the strategy looks at its positions (the engine's tick).
    public var tickInterval: Duration

    public init(
        limits: GuardLimits, strategy: FlowFollowingStrategy.Settings = .init(), maxSignalAge: Duration = .seconds(60),
        startingCash: Decimal = 100_000, tickInterval: Duration = .seconds(1)
    ) {
        self.limits = limits
        self.strategy = strategy
        self.maxSignalAge = maxSignalAge
        self.startingCash = startingCash
        self.tickInterval = tickInterval
    }

    /// The settings live trading would use with `configuration`.
    public init(configuration: BulwarkConfiguration, startingCash: Decimal = 100_000) {
        self.init(
            limits: GuardLimits(configuration.limits), strategy: configuration.strategy, maxSignalAge: configuration.maxSignalAge,
            startingCash: startingCash)
    }
}
