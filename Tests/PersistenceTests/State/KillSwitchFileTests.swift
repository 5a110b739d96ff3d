import Foundation
import Persistence
import Primitives
import TestSupport
import Testing

/// `KillSwitch.engage(inDirectory:)`: the halt file a disconnected console creates.
struct KillSwitchFileTests {
    /// It creates state/HALT with mode 0600 and returns its path; a second call leaves it in place.
    @Test func createsTheFilePrivately() throws {
        let folder = TemporaryFolder()
        let path = try KillSwitch.engage(inDirectory: folder.path)
        #expect(path == folder.path + "/HALT")
        #expect(folder.mode(of: "HALT") == 0o600)
        try KillSwitch.engage(inDirectory: folder.path)
        #expect(folder.mode(of: "HALT") == 0o600)
    }

    /// A state folder that does not exist is not created: the error names it.
    @Test func missingFolderIsAnError() {
        let folder = TemporaryFolder()
        let missing = folder.path + "/no-such-state"
        #expect {
            try KillSwitch.engage(inDirectory: missing)
        } throws: { error in
            (error as? StateStoreError)?.message.contains("\(missing) does not exist") == true
        }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
