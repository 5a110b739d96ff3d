import Foundation
import Primitives

extension KillSwitch {
    /// Creates `HALT` (0600) in the state folder `directory` and fsyncs the file and the folder, without
    /// a state store: for a console that cannot reach its instance (`h` while disconnected). The folder
    /// must exist; a file already there is left as it is. Returns the file's path.
    @discardableResult
    public static func engage(inDirectory directory: String) throws(StateStoreError) -> String {
        var info = stat()
        guard stat(directory, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
            throw StateStoreError(code: .writeFailed, message: "the state folder \(directory) does not exist", errno: ENOENT)
        }
        let path = directory + "/" + fileName
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw StateStoreError(code: .writeFailed, message: "cannot create \(path): \(errnoText(code))", errno: code)
        }
        let synced = fsync(fd) == 0
        let code = errno
        close(fd)
        guard synced else {
            throw StateStoreError(code: .writeFailed, message: "cannot fsync \(path): \(errnoText(code))", errno: code)
        }
        try AtomicFile.syncFolder(directory, for: path)
        return path
    }
}
