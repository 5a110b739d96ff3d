import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// What a route answers before the gate turns it into a response: a status and a JSON body (none for
/// 204). Keeping the JSON until the end lets faults alter the body.
struct Reply: Sendable {
    var status: Int
    var body: JSONValue?

    static func ok(_ body: JSONValue) -> Reply { Reply(status: 200, body: body) }

    static let noContent = Reply(status: 204, body: nil)

    static func error(_ error: ExchangeError) -> Reply { Reply(status: error.status, body: error.body) }

    func response(headers: HTTPFields) -> Response {
        guard let body else {
            var headers = headers
            headers[.contentType] = nil
            return Response(status: .init(code: status), headers: headers)
        }
        return Self.response(status: status, bytes: body.bytes, headers: headers)
    }

    static func response(status: Int, bytes: [UInt8], headers: HTTPFields) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension HTTPField.Name {
    static let alpacaKeyID = HTTPField.Name("APCA-API-KEY-ID")!
    static let alpacaSecretKey = HTTPField.Name("APCA-API-SECRET-KEY")!
    static let rateLimitLimit = HTTPField.Name("X-Ratelimit-Limit")!
    static let rateLimitRemaining = HTTPField.Name("X-Ratelimit-Remaining")!
    static let rateLimitReset = HTTPField.Name("X-Ratelimit-Reset")!
}
