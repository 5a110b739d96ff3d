import Foundation
import Primitives

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
        _ = AtomicFile.removeStaleTemporaries(of: path)
        let bytes: [UInt8]
        switch AtomicFile.read(path) {
        case .missing: return nil
        case .unusable(let reason): throw Failure(path: path, reason: "cannot be read: \(reason)")
        case .bytes(let contents): bytes = contents
        }
        let data = Data(bytes)
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
            throw Failure(path: path, reason: "is damaged (\(error.operatorText)); move it away to start a new account")
        }
    }

    /// Replaces the file with `state`: written to a temporary file (0600) in the same folder, fsynced,
    /// renamed over the old one, folder fsynced (`AtomicFile`).
    public func save(_ state: BookState) throws(Failure) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do {
            data = try encoder.encode(state)
        } catch {
            throw Failure(path: path, reason: "cannot be encoded: \(error.operatorText)")
        }
        do {
            try AtomicFile.write(Array(data), to: path)
        } catch {
            throw Failure(path: path, reason: "cannot be written: \(error.operatorText)")
        }
    }
}
