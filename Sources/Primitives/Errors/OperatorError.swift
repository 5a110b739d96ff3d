/// Bulwark's one error model, for everything an operator reads: a stable code (carried into health
/// details, events, command results and the log, so an incident can be searched for), a message in plain
/// words that names the file, address or value concerned, and the error that caused it, if any.
///
/// Text for an operator is built from `operatorText`, never from `"\(error)"`: that is how type dumps such
/// as `healed(StateHealing(backupPath: …` and `Optional(185.82)` reached the screen.
public protocol OperatorError: Error, Sendable, CustomStringConvertible {
    /// Stable and lowercase, a domain and a word: `state.write_failed`, `api.network`. Opaque: compare and
    /// search for it, never parse it.
    var errorCode: String { get }
    /// What went wrong, in the operator's words (by default the error's description).
    var operatorMessage: String { get }
    /// What caused it, when that was another error.
    var cause: (any Error)? { get }
}

extension OperatorError {
    public var operatorMessage: String { description }
    public var cause: (any Error)? { nil }
}

extension Error {
    /// The error as an operator may read it: an `OperatorError`'s message followed by its cause's (when
    /// the message does not already say it); any other error's own description when it reads as words, or
    /// else its kind ("unexpected CancellationError") — never a dump of its fields or a module's name.
    public var operatorText: String {
        if let error = self as? any OperatorError {
            let message = error.operatorMessage
            guard let cause = error.cause else { return message }
            let because = cause.operatorText
            return message.contains(because) ? message : message + ": " + because
        }
        let text = String(describing: self)
        let kind = String(describing: type(of: self as Any)).split(separator: ".").last.map(String.init) ?? "error"
        return OperatorTextCheck.readsAsWords(text) ? text : "unexpected \(kind)"
    }

    /// The error's code when it is an `OperatorError`, else nil.
    public var operatorCode: String? { (self as? any OperatorError)?.errorCode }
}

/// What may not appear in text an operator reads: a Swift value dump.
public enum OperatorTextCheck {
    /// The problems found in `text`, each named; empty when it reads as words. It looks for `Optional(`,
    /// a module-qualified type name (`Persistence.StateHealing`), and a type dump (`Failure(description:`,
    /// `CancellationError()`).
    public static func problems(in text: String) -> [String] {
        var found: [String] = []
        if text.contains("Optional(") { found.append("an Optional(…) dump") }
        if let match = text.firstMatch(of: qualifiedName.wordBoundaryKind(.simple)) { found.append("a module-qualified name \"\(match.0)\"") }
        if let match = text.firstMatch(of: dump.wordBoundaryKind(.simple)) { found.append("a value dump \"\(match.0)\"") }
        return found
    }

    static func readsAsWords(_ text: String) -> Bool { problems(in: text).isEmpty }

    /// Bulwark's own modules and the libraries whose errors reach it, followed by `.TypeName`.
    private static var qualifiedName: Regex<(Substring, Substring)> {
        /\b(TradingCore|Primitives|TradingModel|RiskGuard|Strategies|Persistence|Settings|Engine|Supervision|Assembly|MarketClients|PaperExchange|Dashboard|ControlPlane|Console|Swift|NIOCore|NIOPosix|AsyncHTTPClient|Hummingbird|Foundation)\.[A-Z]\w*/
    }
    /// `TypeName(` followed by `label:` or `)`: a struct or enum printed by `String(describing:)`.
    private static var dump: Regex<(Substring, Substring)> { /\b[A-Z]\w*\((\w+: |\))/ }
}
