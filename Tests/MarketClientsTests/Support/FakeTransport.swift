import Foundation
import Logging
import MarketClients
import Synchronization
import TestSupport
import TradingModel

/// A transport whose answers a test scripts, recording every request it is given.
final class FakeTransport: HTTPTransport {
    typealias Handler = @Sendable (HTTPRequest, Int) throws(TransportError) -> HTTPResponse

    private let handler: Handler
    private let recorded = Mutex<[HTTPRequest]>([])

    init(_ handler: @escaping Handler) {
        self.handler = handler
    }

    /// Answers each request in turn from `responses` (the last one repeats).
    convenience init(responses: [Result<HTTPResponse, TransportError>]) {
        self.init { _, index throws(TransportError) in
            try responses[min(index, responses.count - 1)].get()
        }
    }

    var requests: [HTTPRequest] { recorded.withLock { $0 } }

    func send(_ request: HTTPRequest, timeout: Duration) async throws(TransportError) -> HTTPResponse {
        let index = recorded.withLock { requests in
            requests.append(request)
            return requests.count - 1
        }
        return try handler(request, index)
    }
}

extension HTTPResponse {
    static func json(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: Array(text.utf8))
    }
}

enum Contracts {
    /// The byte-identical copies of shared/contracts kept with the paper exchange's tests (FixtureTests
    /// checks they match).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("PaperExchangeTests/Fixtures")

    /// A sample by its shared/contracts name, e.g. `alpaca/account.json`.
    static func sample(_ name: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(String(name.split(separator: "/").last!)), encoding: .utf8)
    }
}

/// A requester over `transport` with a manual clock and fast, deterministic retries.
func makeRequester(
    _ transport: any HTTPTransport, clock: ManualClock = ManualClock(), bus: EventBus? = nil, log: LogCapture = LogCapture(),
    policy: RetryPolicy = RetryPolicy(), api: String = "alpaca"
) -> APIRequester {
    APIRequester(
        api: api, baseURL: URL(string: "http://127.0.0.1:9")!,
        headers: { [("APCA-API-KEY-ID", "PKTESTKEY0000001234"), ("APCA-API-SECRET-KEY", "SECRETSECRETSECRET98765")] },
        transport: transport, clock: clock, policy: policy, bus: bus, logger: log.logger, jitterSeed: 1)
}
