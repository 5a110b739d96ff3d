/// The configuration could not be used. Carries every problem found, one line each, so an operator
/// fixes them all in one go.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        /// The variable (or flag, or file) that is wrong.
        public var variable: String
        /// What was wrong with it and what is accepted, with the value given (secrets masked).
        public var message: String

        public init(variable: String, message: String) {
            self.variable = variable
            self.message = message
        }

        public var description: String { "\(variable): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
