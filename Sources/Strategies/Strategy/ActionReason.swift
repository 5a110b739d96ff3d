import Foundation
import Primitives

/// Why a strategy wants an action: a line for the operator, the close rule of an exit, and the flow
/// alert that caused it. A string literal makes a reason with neither (as the old `String` reason was).
public struct ActionReason: Hashable, Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public var text: String
    /// The rule of an exit; nil for an entry.
    public var rule: CloseRule?
    /// The flow alert that caused the action, when one did.
    public var alertID: String?

    public init(_ text: String, rule: CloseRule? = nil, alertID: String? = nil) {
        self.text = text
        self.rule = rule
        self.alertID = alertID
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }

    public init(stringInterpolation: DefaultStringInterpolation) {
        self.init(String(stringInterpolation: stringInterpolation))
    }

    public var description: String {
        guard let rule, !text.hasPrefix(rule.words) else { return text }
        return "\(rule.words): \(text)"
    }
}

extension StrategyAction {
    /// Why the action is wanted.
    public var reason: ActionReason {
        switch self {
        case .enter(_, _, _, let reason), .exit(_, let reason), .exitAtLimit(_, _, let reason): reason
        }
    }

    /// The same action, caused by the flow alert `alertID` (kept when the strategy named one already).
    public func caused(by alertID: String) -> StrategyAction {
        switch self {
        case .enter(let symbol, let quantity, let limitPrice, var reason):
            reason.alertID = reason.alertID ?? alertID
            return .enter(symbol: symbol, quantity: quantity, limitPrice: limitPrice, reason: reason)
        case .exit(let symbol, var reason):
            reason.alertID = reason.alertID ?? alertID
            return .exit(symbol: symbol, reason: reason)
        case .exitAtLimit(let symbol, let limitPrice, var reason):
            reason.alertID = reason.alertID ?? alertID
            return .exitAtLimit(symbol: symbol, limitPrice: limitPrice, reason: reason)
        }
    }
}
