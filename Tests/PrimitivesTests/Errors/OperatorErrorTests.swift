import Primitives
import Testing

struct OperatorErrorTests {
    private struct Wrapped: OperatorError {
        var errorCode: String { "test.wrapped" }
        var description: String { "could not save the book" }
        var cause: (any Error)?
    }

    private struct Fields: Error {
        var path: String
        var errno: Int32
    }

    private struct Worded: Error, CustomStringConvertible {
        var description: String { "the disk is full" }
    }

    /// An operator error reads as its message followed by its cause's words; a cause already in the
    /// message is not repeated.
    @Test func messageThenCause() {
        let disk = StateStoreError(code: .writeFailed, message: "cannot write state/trading_state.json: no space left on device")
        #expect(Wrapped(cause: disk).operatorText == "could not save the book: cannot write state/trading_state.json: no space left on device")
        #expect(Wrapped(cause: nil).operatorText == "could not save the book")
        #expect(disk.operatorCode == "state.write_failed")
        #expect(Fields(path: "x", errno: 2).operatorCode == nil)
    }

    /// An error that would print as a dump of its fields reads as its kind instead; one with a worded
    /// description keeps it.
    @Test func dumpsBecomeTheirKind() {
        #expect("\(Fields(path: "/tmp/x", errno: 28))".contains("Fields(path:"))
        #expect(Fields(path: "/tmp/x", errno: 28).operatorText == "unexpected Fields")
        #expect(CancellationError().operatorText == "unexpected CancellationError")
        #expect(Worded().operatorText == "the disk is full")
    }

    /// The check names each kind of Swift dump and passes plain words, including a state in capitals
    /// with its reason in brackets.
    @Test func checkFindsDumps() {
        #expect(OperatorTextCheck.problems(in: "filled at Optional(185.82)").count == 1)
        #expect(OperatorTextCheck.problems(in: "healed(Persistence.StateHealing(backupPath: \"x\"))").count == 2)
        #expect(OperatorTextCheck.problems(in: "stopped: CancellationError()").count == 1)
        #expect(OperatorTextCheck.problems(in: "trading HALTED (FAILED_CONFIG): the broker refused the credentials (HTTP 403)").isEmpty)
        #expect(OperatorTextCheck.problems(in: "bought 3 AAPL at 185.82 (call alert a1)").isEmpty)
    }
}
