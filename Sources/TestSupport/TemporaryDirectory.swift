import Foundation

/// A fresh private folder for one test, removed when the value is dropped.
public final class TemporaryFolder: Sendable {
    public let path: String

    public init() {
        var template = Array((URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("bulwark-test-XXXXXX").path).utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
        precondition(made != nil, "mkdtemp failed: \(String(cString: strerror(errno)))")
        path = String(cString: made!)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes `text` to `name` inside the folder.
    public func write(_ name: String, _ text: String) {
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8))
    }

    /// The permission bits of `name` inside the folder, or nil if it does not exist.
    public func mode(of name: String) -> mode_t? {
        var info = stat()
        guard lstat(path + "/" + name, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }
}

/// A fresh private folder for one test, removed when the body returns.
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let folder = TemporaryFolder()
    return try withExtendedLifetime(folder) { try body(folder.path) }
}

/// A fresh private folder for one test, removed when the body returns.
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let folder = TemporaryFolder()
    defer { withExtendedLifetime(folder) {} }
    return try await body(folder.path)
}
