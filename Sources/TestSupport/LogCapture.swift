import InMemoryLogging
import Logging

/// A logger whose lines a test can read back, so tests assert on what was logged.
public struct LogCapture: Sendable {
    public struct Line: Sendable, Hashable, CustomStringConvertible {
        public var level: Logger.Level
        public var message: String
        /// Metadata values rendered as text.
        public var metadata: [String: String]

        public var description: String {
            "[\(level)] \(message) \(metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))"
        }
    }

    public let logger: Logger
    private let handler: InMemoryLogHandler

    public init(label: String = "test", level: Logger.Level = .trace) {
        let handler = InMemoryLogHandler()
        var logger = Logger(label: label, factory: { _ in handler })
        logger.logLevel = level
        self.handler = handler
        self.logger = logger
    }

    public var lines: [Line] {
        handler.entries.map { entry in
            Line(
                level: entry.level, message: entry.message.description,
                metadata: entry.metadata.mapValues { "\($0)" })
        }
    }

    /// Whether any line (message or metadata value) contains `text`.
    public func contains(_ text: String) -> Bool {
        lines.contains { line in line.message.contains(text) || line.metadata.values.contains { $0.contains(text) } }
    }
}
