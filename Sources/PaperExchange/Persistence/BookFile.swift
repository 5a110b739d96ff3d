import Foundation
import TradingCore

/// `state/paper_exchange.json`: the exchange's book between runs, so the embedded exchange survives a
/// restart the way a real broker does. JSON with sorted keys (readable, diffable), mode 0600, in a
/// folder prepared 0700.
public struct BookFile: Sendable {
    public static let fileName = "paper_exchange.json"

    /// Why the book could not be read or written.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    public let path: String

    /// The book file in `directory`, which is created (or tightened) to mode 0700.
    public init(directory: String) throws(Failure) {
        do {
            try PrivateDirectory.prepare(directory)
        } catch {
            throw Failure(path: directory, reason: error.reason)
        }
        self.path = (directory as NSString).appendingPathComponent(Self.fileName)
    }

    /// The saved book, or `nil` when there is none yet. A file that cannot be read, or that a newer
    /// Bulwark wrote, is an error: the exchange refuses to start rather than lose an account.
    public func load() throws(Failure) -> BookState? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(path: path, reason: "cannot be read: \(error.localizedDescription)")
        }
        struct Version: Decodable {
            var schema_version: Int
        }
        guard let version = try? JSONDecoder().decode(Version.self, from: data) else {
            throw Failure(path: path, reason: "is not a paper exchange book (no schema_version); move it away to start a new account")
        }
        guard version.schema_version <= BookState.currentSchemaVersion else {
            throw Failure(
                path: path,
                reason: "has schema version \(version.schema_version), newer than this build's \(BookState.currentSchemaVersion)")
        }
        do {
            return try JSONDecoder().decode(BookState.self, from: data)
        } catch {
            throw Failure(path: path, reason: "is damaged (\(error)); move it away to start a new account")
        }
    }

    /// Replaces the file with `state`, atomically.
    public func save(_ state: BookState) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw Failure(path: path, reason: "cannot be encoded: \(error)")
        }
        try Self.replace(path, with: data)
    }

    /// The one place the book touches the disk: replaces `path` with `data` atomically, mode 0600.
    ///
    /// Until `AtomicFile` (state-store branch) is merged this uses Foundation's atomic write (temporary
    /// file, rename) and then sets the mode; it does not fsync. Switching is this one call:
    /// `try AtomicFile.write(Array(data), to: path)`.
    static func replace(_ path: String, with data: Data) throws(Failure) {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw Failure(path: path, reason: "cannot be written: \(error.localizedDescription)")
        }
        guard chmod(path, 0o600) == 0 else {
            throw Failure(path: path, reason: "cannot be made private (mode 0600): \(String(cString: strerror(errno)))")
        }
    }
}
