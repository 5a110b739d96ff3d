import Synchronization

/// How many requests each route was asked, by its name (`GET /v2/account`): what `bulwark bench budget`
/// reports of the REST budget a client spends.
public final class RouteCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])

    init() {}

    func count(_ route: String) {
        counts.withLock { $0[route, default: 0] += 1 }
    }

    /// The requests so far, by route.
    public var snapshot: [String: Int] { counts.withLock { $0 } }
}
