import Primitives

extension APIError: OperatorError {
    /// `api.network`, `api.rate_limit`, `api.auth`, `api.schema`, `api.unknown`, `api.not_found`,
    /// `api.order_refused`.
    public var errorCode: String {
        switch kind {
        case .failure(let errorClass): "api." + errorClass.rawValue.lowercased()
        case .notFound: "api.not_found"
        case .orderRefused: "api.order_refused"
        }
    }
}

extension TransportError: OperatorError {
    public var errorCode: String { "api.network" }
}

extension OrderSubmitter.Failure: OperatorError {
    public var errorCode: String {
        switch self {
        case .intentNotSaved: "order.not_durable"
        case .api(let error): error.errorCode
        }
    }

    public var cause: (any Error)? {
        if case .api(let error) = self { return error }
        return nil
    }
}
