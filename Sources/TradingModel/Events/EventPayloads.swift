import Foundation
import Logging
import Primitives

/// A position went to zero.
public struct PositionClose: Hashable, Sendable, Codable {
    public var symbol: Symbol
    public var closedQuantity: Decimal
    public var exitPrice: Decimal
    public var realizedPnL: Decimal
    /// The rule that closed it (take profit, stop loss, …); nil when not known.
    public var rule: CloseRule?

    public init(symbol: Symbol, closedQuantity: Decimal, exitPrice: Decimal, realizedPnL: Decimal, rule: CloseRule? = nil) {
        self.rule = rule
        self.symbol = symbol
        self.closedQuantity = closedQuantity
        self.exitPrice = exitPrice
        self.realizedPnL = realizedPnL
    }
}

/// The state file could not be trusted and was set aside.
public struct StateHealing: Hashable, Sendable, Codable {
    /// Where the unreadable file was moved to.
    public var backupPath: String
    /// What was wrong with it.
    public var problem: String

    public init(backupPath: String, problem: String) {
        self.backupPath = backupPath
        self.problem = problem
    }
}

/// One difference between what Bulwark believed and what the broker holds.
public struct PositionDiff: Hashable, Sendable, Codable {
    public var symbol: Symbol
    /// Local signed quantity, `nil` when Bulwark had no position.
    public var local: Decimal?
    /// Broker signed quantity, `nil` when the broker has no position.
    public var broker: Decimal?

    public init(symbol: Symbol, local: Decimal?, broker: Decimal?) {
        self.symbol = symbol
        self.local = local
        self.broker = broker
    }
}

/// The outcome of reconciling local state with the broker.
public struct ReconciliationReport: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        case reconciled
        case failed
    }

    public var outcome: Outcome
    public var diffs: [PositionDiff]
    public var adoptedOrders: [String]
    public var droppedIntents: [String]
    public var error: String?

    public init(outcome: Outcome, diffs: [PositionDiff] = [], adoptedOrders: [String] = [], droppedIntents: [String] = [], error: String? = nil) {
        self.outcome = outcome
        self.diffs = diffs
        self.adoptedOrders = adoptedOrders
        self.droppedIntents = droppedIntents
        self.error = error
    }
}

/// A failed call to an outside API (one attempt).
public struct APIFailure: Hashable, Sendable, Codable {
    public var api: String
    public var endpoint: String
    public var errorClass: APIErrorClass
    public var message: String
    public var attempt: Int
    public var willRetry: Bool

    public init(api: String, endpoint: String, errorClass: APIErrorClass, message: String, attempt: Int, willRetry: Bool) {
        self.api = api
        self.endpoint = endpoint
        self.errorClass = errorClass
        self.message = message
        self.attempt = attempt
        self.willRetry = willRetry
    }
}

/// A call succeeded after earlier attempts failed.
public struct APIRecovery: Hashable, Sendable, Codable {
    public var api: String
    public var endpoint: String
    public var failedAttempts: Int

    public init(api: String, endpoint: String, failedAttempts: Int) {
        self.api = api
        self.endpoint = endpoint
        self.failedAttempts = failedAttempts
    }
}

/// A log record forwarded to the bus (warnings and worse), already redacted.
public struct LogLine: Hashable, Sendable, Codable {
    public var level: Logger.Level
    public var label: String
    public var message: String

    public init(level: Logger.Level, label: String, message: String) {
        self.level = level
        self.label = label
        self.message = message
    }
}

/// One step of the start-up sequence: load the state, check the APIs, reconcile; then trading.
public struct StartupProgress: Hashable, Sendable, Codable {
    public enum Outcome: String, Hashable, Sendable, Codable {
        case started, succeeded, failed
        /// Failed for a transient cause (the network, a rate limit): start-up goes on, and retries.
        case failedTransient = "failed (transient)"
    }

    public var step: String
    /// 1-based.
    public var index: Int
    public var total: Int
    public var outcome: Outcome
    public var detail: String

    public init(step: String, index: Int, total: Int, outcome: Outcome, detail: String) {
        self.step = step
        self.index = index
        self.total = total
        self.outcome = outcome
        self.detail = detail
    }
}
