import Foundation
import Supervision
import TestSupport
import Testing

/// The cause checks the service wires: the dashboard's port, the state folder.
struct CauseChecksTests {
    /// A port another socket holds is not free; once it is released the check says so, naming the address.
    @Test func portFreeSeesTheAddressHeldAndFreed() throws {
        var held: ReservedPort? = try ReservedPort()
        let port = try #require(held?.port)
        let check = CauseChecks.portFree { port }
        #expect(check() == nil)
        held = nil
        #expect(check()?.contains("127.0.0.1:\(port) is free again") == true, "\(String(describing: check()))")
        #expect(CauseChecks.portFree { nil }() == nil)
    }

    /// A folder that takes a synced write is said to; one that cannot be written in is not, and no probe
    /// file is left behind.
    @Test func folderTakesWritesWritesAndRemovesItsProbe() throws {
        try withTemporaryDirectory { (directory: String) throws in
            #expect(CauseChecks.folderTakesWrites(directory)()?.contains("takes writes again") == true)
            let left = try FileManager.default.contentsOfDirectory(atPath: directory)
            #expect(left.isEmpty)
            #expect(CauseChecks.folderTakesWrites(directory + "/missing")() == nil)
        }
    }
}
