import Foundation

/// A fresh private folder for one test, removed when the body returns.
public func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// A fresh private folder for one test, removed when the body returns.
public func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = try makeTemporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

public struct TemporaryDirectoryError: Error, CustomStringConvertible {
    public var description: String
}

private func makeTemporaryDirectory() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/bulwark-test-XXXXXX").utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) }
    guard let made else {
        throw TemporaryDirectoryError(description: "mkdtemp failed: \(String(cString: strerror(errno)))")
    }
    return String(cString: made)
}
