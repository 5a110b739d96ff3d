import Primitives

extension APIErrorClass {
    /// What a failed call to the broker of this class means, in the operator's words: each class named for
    /// what it is (a rate limit is never "unreachable").
    var brokerTrouble: String {
        switch self {
        case .network: "broker unreachable"
        case .rateLimit: "broker rate limit reached"
        case .auth: "the broker refused the credentials"
        case .schema: "the broker answered out of contract"
        case .unknown: "the broker could not be read"
        }
    }
}
