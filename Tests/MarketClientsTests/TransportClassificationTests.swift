import Primitives
import Testing

@testable import MarketClients

/// How a failure below HTTP is named: a kind and a detail in words, never a Swift value dump.
struct TransportClassificationTests {
    private struct Opaque: Error {}

    /// A request its caller gave up (a deadline raced it) reads "cancelled", not `CancellationError()`:
    /// the text reaches the log and the events pane.
    @Test func cancelledRequestIsNamedInWords() {
        let error = AsyncHTTPTransport.classify(CancellationError())
        #expect(error.kind == .other)
        #expect(error.description == "transport failure: cancelled")
        #expect(OperatorTextCheck.problems(in: error.description).isEmpty)
    }

    /// An error from elsewhere is named by its kind when its own text is a dump.
    @Test func foreignErrorIsNotDumped() {
        let error = AsyncHTTPTransport.classify(Opaque())
        #expect(OperatorTextCheck.problems(in: error.description).isEmpty, "\(error.description)")
        #expect(error.description.contains("Opaque"))
    }
}
