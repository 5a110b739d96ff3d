import Foundation
import Primitives

/// Where `bulwark replay --report` writes its page: checked before the replay runs (so a long run does
/// not end in a path that cannot take its result) and written whole or not at all (a temporary file in
/// the same folder renamed over the path).
public enum ReportFile {
    /// Refuses a path whose folder is missing or not writable, or that names a folder.
    public static func check(_ path: String) throws(ReportFileError) {
        guard !path.isEmpty else { throw ReportFileError("--report needs a file path") }
        let folder = (path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw ReportFileError("cannot write the report \(path): the folder \(folder) does not exist")
        }
        guard access(folder, W_OK) == 0 else { throw ReportFileError("cannot write the report \(path): the folder \(folder) is not writable") }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw ReportFileError("cannot write the report \(path): it is a folder")
        }
    }

    /// Writes `text` to `path` whole: an old file there is replaced only once the new one is complete.
    public static func write(_ text: String, to path: String) throws(ReportFileError) {
        try check(path)
        do {
            try AtomicFile.write(Array(text.utf8), to: path)
        } catch {
            throw ReportFileError("cannot write the report \(path): \(error.operatorText)")
        }
    }
}

/// A report that cannot be written where asked (exit 73, EX_CANTCREAT).
public struct ReportFileError: OperatorError, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorCode: String { "replay.report" }
    public var description: String { message }
    /// EX_CANTCREAT.
    public static let exitCode: Int32 = 73
}
