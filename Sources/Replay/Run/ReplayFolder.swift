import Foundation
import Primitives

/// A private temporary folder for one replay's state and journal, removed by `remove()`.
public struct ReplayFolder: Sendable {
    public let path: String

    public init() throws {
        var template = Array((NSTemporaryDirectory() + "/bulwark-replay-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard let made else { throw ReplayFolderError(message: "cannot make a temporary folder: \(String(cString: strerror(errno)))") }
        path = String(cString: made)
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

public struct ReplayFolderError: OperatorError {
    public var message: String
    public var errorCode: String { "replay.folder" }
    public var description: String { message }
}
