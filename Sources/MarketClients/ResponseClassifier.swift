import Foundation
import Primitives

/// What an HTTP answer from Alpaca or Unusual Whales means for the caller: the first step of
/// DETECT → CLASSIFY → RESPOND. Pure: the HTTP clients call it for every response.
public enum ResponseClass: Hashable, Sendable {
    /// 2xx.
    case success
    /// 404: the thing asked for does not exist (an unknown order, no position). The caller decides
    /// whether that is an answer (order lookups) or a failure.
    case notFound
    /// The broker refused this order for a business reason (403 with a `code`, or 422). Not retried.
    case orderRefused(code: Int?, message: String)
    /// A failure of the given class; `APIErrorClass.isTransient` says whether to retry.
    case failure(APIErrorClass)
}

public enum ResponseClassifier {
    /// Classifies a status code and body by the rules of Alpaca's API:
    /// 401 → AUTH; 403 with a numeric business `code` → order refusal, without one (including HTML
    /// bodies and `{"message":"forbidden."}`) → AUTH; 422 → order refusal; 429 → RATE_LIMIT;
    /// 408 and 5xx → NETWORK; anything else → UNKNOWN.
    public static func classify(status: Int, body: [UInt8]) -> ResponseClass {
        switch status {
        case 200..<300:
            return .success
        case 401:
            return .failure(.auth)
        case 403:
            if let error = BrokerErrorBody(body), let code = error.code {
                return .orderRefused(code: code, message: error.message ?? "refused")
            }
            return .failure(.auth)
        case 404:
            return .notFound
        case 422:
            let error = BrokerErrorBody(body)
            return .orderRefused(code: error?.code, message: error?.message ?? "unprocessable order")
        case 429:
            return .failure(.rateLimit)
        case 408, 500..<600:
            return .failure(.network)
        default:
            return .failure(.unknown)
        }
    }
}

/// Alpaca's error body, `{"code": 40310000, "message": "…"}`; both fields optional.
struct BrokerErrorBody {
    var code: Int?
    var message: String?

    init?(_ body: [UInt8]) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        code = object["code"] as? Int
        message = object["message"] as? String
    }
}
