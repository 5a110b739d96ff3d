import Foundation
import Persistence

/// Makes an order journal's writes fail for real, without a seam, for root as for anyone: a journal
/// opened with `maximumBytes` 1 rotates before every line after its first, and a non-empty folder in
/// place of every rotated file makes each rotation fail ("Is a directory"), so the line is not written.
/// `remove()` takes the folders away and the next rotation succeeds.
public struct JournalObstacle: Sendable {
    public let journal: OrderJournal

    public init(_ journal: OrderJournal) {
        precondition(journal.maximumBytes == 1, "the obstacle needs a journal that rotates before every line")
        self.journal = journal
    }

    public func place() throws {
        for index in 1...journal.rotatedFiles {
            try FileManager.default.createDirectory(atPath: journal.rotatedPath(index) + "/in-the-way", withIntermediateDirectories: true)
        }
    }

    public func remove() throws {
        for index in 1...journal.rotatedFiles { try FileManager.default.removeItem(atPath: journal.rotatedPath(index)) }
    }

    /// Every entry on disk, the oldest rotated file first, then the current one.
    public func entriesOnDisk() throws -> [OrderJournalEntry] {
        var entries: [OrderJournalEntry] = []
        for index in stride(from: journal.rotatedFiles, through: 1, by: -1) {
            entries += try OrderJournal.read(path: journal.rotatedPath(index)).entries
        }
        return entries + (try OrderJournal.read(path: journal.path).entries)
    }
}
