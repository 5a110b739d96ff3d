import Foundation
import Primitives

extension OrderJournal {
    /// What reading a journal file found.
    public struct Contents: Sendable, Hashable {
        public struct InvalidLine: Sendable, Hashable {
            /// 1-based line number.
            public var number: Int
            public var problem: String
        }

        /// Every entry that could be read, in file order.
        public var entries: [OrderJournalEntry]
        /// The last line, when it has no newline: an append cut short by a crash. Skipped.
        public var tornLastLine: String?
        /// Complete lines that are not valid entries. Skipped.
        public var invalidLines: [InvalidLine]
    }

    /// Reads one journal file (current or rotated). A missing file reads as empty.
    public static func read(path: String) throws(WriteError) -> Contents {
        let bytes: [UInt8]
        switch RegularFile.read(path, maximumSize: Int.max) {
        case .missing: return Contents(entries: [], tornLastLine: nil, invalidLines: [])
        case .bytes(let read): bytes = read
        case .unusable(let reason): throw WriteError(path: path, message: "cannot be read: \(reason)", errno: nil)
        }
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var torn: String?
        if let last = lines.popLast(), !last.isEmpty {
            // Text after the final newline never got its own newline.
            torn = String(decoding: last, as: UTF8.self)
        }
        let decoder = JSONDecoder()
        var entries: [OrderJournalEntry] = []
        var invalid: [Contents.InvalidLine] = []
        for (index, line) in lines.enumerated() {
            guard !line.isEmpty else {
                invalid.append(.init(number: index + 1, problem: "empty line"))
                continue
            }
            do {
                entries.append(try decoder.decode(OrderJournalEntry.self, from: Data(line)))
            } catch {
                invalid.append(.init(number: index + 1, problem: StateFileFormat.describe(error)))
            }
        }
        return Contents(entries: entries, tornLastLine: torn, invalidLines: invalid)
    }

    /// Reads the current file (see `read(path:)`).
    public func read() throws(WriteError) -> Contents {
        try Self.read(path: path)
    }
}
