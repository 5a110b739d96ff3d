import Foundation
import Primitives
import TradingModel

/// The short lines the Events pane shows for each kind of event.
enum EventText {
    static func service(_ row: ConsoleModel.ServiceRow) -> String {
        var text = "\(row.name) \(row.status.rawValue)"
        if let reason = row.reason { text += " \(reason.rawValue)" }
        if let error = row.lastError, row.status != .ok { text += ": \(error)" }
        return text
    }

    static func overall(_ health: OverallHealth) -> String {
        var text = "Health \(health.status.rawValue)"
        if let reason = health.reason { text += " \(reason.rawValue)" }
        return text
    }

    static func trading(_ state: TradingState) -> String {
        var text = "Trading \(state.mode.rawValue) by \(state.actor.rawValue)"
        if let reason = state.reason { text += ": \(reason)" }
        return text
    }

    static func submitted(_ order: OrderSubmission) -> String {
        "Order sent \(side(order.side)) \(TextFormat.quantity(order.quantity)) \(order.symbol)"
    }

    static func filled(_ fill: OrderFill) -> String {
        let kind = fill.isComplete ? "Filled" : "Partly filled"
        return "\(kind) \(side(fill.side)) \(TextFormat.quantity(fill.quantity)) \(fill.symbol) @ \(TextFormat.money(fill.price))"
    }

    static func brokerRejected(_ rejection: OrderRejection) -> String {
        "Broker refused \(side(rejection.side)) \(rejection.symbol): \(rejection.reason)"
    }

    static func guardRejected(_ rejection: GuardRejection) -> String {
        "Guard refused \(side(rejection.side)) \(rejection.symbol): \(rejection.check) (limit \(rejection.limit), actual \(rejection.actual))"
    }

    static func closed(_ close: PositionClose) -> String {
        "Closed \(TextFormat.quantity(close.closedQuantity)) \(close.symbol) @ \(TextFormat.money(close.exitPrice))"
            + (close.rule.map { " (\($0.words))" } ?? "") + ", "
            + "realised \(TextFormat.signedMoney(close.realizedPnL))"
    }

    static func chaos(_ mode: ChaosMode, on: Bool) -> String {
        "Chaos \(mode.rawValue) \(on ? "ON" : "OFF")"
    }

    static func healed(_ healing: StateHealing) -> String {
        "State file set aside (\(healing.problem)): \(healing.backupPath)"
    }

    static func reconciliation(_ report: ReconciliationReport) -> String {
        switch report.outcome {
        case .reconciled:
            var text = "Reconciled with the broker"
            if !report.diffs.isEmpty { text += ", \(report.diffs.count) position(s) corrected" }
            if !report.adoptedOrders.isEmpty { text += ", \(report.adoptedOrders.count) order(s) adopted" }
            return text
        case .failed:
            return "Reconciliation FAILED: \(report.error ?? "unknown error")"
        }
    }

    static func apiError(_ failure: APIFailure) -> String {
        let retry = failure.willRetry ? ", retrying" : ""
        return "\(failure.api) \(failure.endpoint) \(failure.errorClass.rawValue): \(failure.message) (attempt \(failure.attempt)\(retry))"
    }

    static func apiRecovered(_ recovery: APIRecovery) -> String {
        "\(recovery.api) \(recovery.endpoint) recovered after \(recovery.failedAttempts) failed attempt(s)"
    }

    static func log(_ line: LogLine) -> String {
        "\(line.label): \(line.message)"
    }

    static func startup(_ progress: StartupProgress) -> String {
        var text = "Startup \(progress.index)/\(progress.total) \(progress.step) \(progress.outcome.rawValue)"
        if !progress.detail.isEmpty { text += ": \(progress.detail)" }
        return text
    }

    static func command(_ result: CommandResult) -> String {
        "\(result.command): \(result.accepted ? "accepted" : "REFUSED") - \(result.message)" + (result.code.map { " [\($0)]" } ?? "")
    }

    /// An accepted command whose outcome another event states (the trading state, a chaos switch): the
    /// Events pane shows that one line instead of two.
    static func isRestatedElsewhere(_ result: CommandResult) -> Bool {
        guard result.accepted else { return false }
        switch result.command {
        case .halt, .resume, .reduceOnly:
            return result.message.hasPrefix("trading ") && !result.message.hasPrefix("trading already")
        case .chaos(let mode, let on):
            return result.message == "chaos \(mode.rawValue) \(on ? "on" : "off")"
        case .flattenAll, .closePosition, .quit:
            return false
        }
    }

    private static func side(_ side: OrderSide) -> String {
        side == .buy ? "BUY" : "SELL"
    }
}
