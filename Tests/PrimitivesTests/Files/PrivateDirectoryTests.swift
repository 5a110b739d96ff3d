import Foundation
@testable import Primitives
import TestSupport
import Testing

struct PrivateDirectoryTests {
    private func mode(_ path: String) -> mode_t {
        var info = stat()
        stat(path, &info)
        return info.st_mode & 0o7777
    }

    /// A missing folder is created with its parents, mode 0700.
    @Test func createsWithMode0700() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/a/b/state"
        let report = try PrivateDirectory.prepare(path)
        #expect(report.created)
        #expect(mode(path) == 0o700)
    }

    /// An existing folder with a loose mode is tightened to 0700 and the old mode reported.
    @Test func tightensLooseMode() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/state"
        mkdir(path, 0o755)
        chmod(path, 0o755)
        let report = try PrivateDirectory.prepare(path)
        #expect(!report.created)
        #expect(report.tightenedFrom == 0o755)
        #expect(mode(path) == 0o700)
    }

    /// A file where the folder should be is refused with a message that says so.
    @Test func fileInTheWay() {
        let folder = TemporaryFolder()
        folder.write("state", "not a folder")
        #expect {
            try PrivateDirectory.prepare(folder.path + "/state")
        } throws: { error in
            (error as? PrivateDirectory.Failure)?.reason == "exists but is not a folder"
        }
    }

    /// A folder that cannot be created (its parent is a file) is refused with the system's reason.
    @Test func cannotCreate() {
        let folder = TemporaryFolder()
        folder.write("file", "x")
        #expect(throws: PrivateDirectory.Failure.self) {
            try PrivateDirectory.prepare(folder.path + "/file/state")
        }
    }
}
