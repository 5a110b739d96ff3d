import Foundation

/// A folder only its owner may enter (0700): Bulwark's `state/` and `logs/`.
public enum PrivateDirectory {
    public struct Report: Sendable, Equatable {
        public var path: String
        public var created: Bool
        /// The mode the folder had before it was tightened to 0700, if it had to be.
        public var tightenedFrom: mode_t?
    }

    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Creates `path` (and missing parents) with mode 0700, or tightens an existing folder to 0700, then
    /// proves it writable by writing, fsyncing and removing a probe file created 0600.
    @discardableResult
    public static func prepare(_ path: String) throws(Failure) -> Report {
        var info = stat()
        var created = false
        var tightenedFrom: mode_t?
        if lstat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Failure(path: path, reason: "exists but is not a folder")
            }
            let mode = info.st_mode & 0o7777
            if mode != 0o700 {
                guard chmod(path, 0o700) == 0 else {
                    throw Failure(path: path, reason: "has mode \(octal(mode)) and cannot be changed to 0700: \(errnoText())")
                }
                tightenedFrom = mode
            }
        } else {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw Failure(path: path, reason: "cannot be created: \(describe(error))")
            }
            // The umask may have narrowed the mode further; set it exactly.
            guard chmod(path, 0o700) == 0 else {
                throw Failure(path: path, reason: "was created but its mode cannot be set to 0700: \(errnoText())")
            }
            created = true
        }
        try probeWritable(path)
        return Report(path: path, created: created, tightenedFrom: tightenedFrom)
    }

    private static func probeWritable(_ path: String) throws(Failure) {
        let probe = path + "/.bulwark-write-probe.\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure(path: path, reason: "is not writable: \(errnoText())") }
        defer { unlink(probe) }
        let bytes: [UInt8] = Array("probe\n".utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        let failure = written != bytes.count ? "writing failed: \(errnoText())" : (synced != 0 ? "fsync failed: \(errnoText())" : nil)
        close(fd)
        if let failure { throw Failure(path: path, reason: failure) }
    }

    public static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }
}

/// The text of the current errno, e.g. "Permission denied" (see `SystemError.describe`).
package func errnoText(_ code: Int32 = errno) -> String {
    SystemError.describe(code)
}

private func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
        return errnoText(Int32(underlying.code))
    }
    return nsError.localizedDescription
}
