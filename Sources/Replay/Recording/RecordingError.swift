import Primitives

/// A recording that cannot be replayed, named by file and line: `FILE:LINE: what is wrong`. Every kind is
/// a data error (exit 65, EX_DATAERR); nothing is replayed from a recording with one.
public struct RecordingError: OperatorError, Equatable {
    public enum Kind: String, Sendable, Hashable {
        /// The file does not exist or cannot be read.
        case missing
        /// No lines at all.
        case empty
        /// The last line ends without its newline: the recorder was cut off.
        case truncated
        /// A line that is not a JSON object of the format, or a field that is missing or wrong.
        case malformed
        /// The first line is not the header, or its version is not one this build reads.
        case header
        /// A line whose time is earlier than the line before it (across files too, in the order given).
        case outOfOrder = "out_of_order"
        /// A line that is neither a quote nor a flow alert.
        case unknownRecord = "unknown_record"
        /// A symbol that is not a ticker.
        case unknownSymbol = "unknown_symbol"
    }

    public var kind: Kind
    public var file: String
    /// 1-based; nil when the file as a whole is concerned (missing).
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, file: String, line: Int?, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    public var errorCode: String { "recording.\(kind.rawValue)" }
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
    /// EX_DATAERR.
    public static let exitCode: Int32 = 65
}
