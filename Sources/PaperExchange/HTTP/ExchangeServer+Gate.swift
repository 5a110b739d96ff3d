import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization
import Primitives

/// Who a route answers to.
enum Audience: Sendable {
    /// Alpaca trading and market data: `APCA-API-KEY-ID` and `APCA-API-SECRET-KEY`.
    case alpaca
    /// Unusual Whales: `Authorization: Bearer <token>`.
    case flow
    /// The fault admin route: Alpaca's keys, no rate limit, no faults.
    case admin
}

extension ExchangeServer {
    typealias Handler = @Sendable (Request, ExchangeRequestContext) async throws -> Reply

    /// Every route goes through here: credentials, then the per-key rate limit (its headers go on every
    /// answer), then any queued fault, then the route's handler.
    func serve(
        _ request: Request, _ context: ExchangeRequestContext, route: String, audience: Audience, handler: Handler
    ) async throws -> Response {
        requestCounts.count(route)
        var headers = HTTPFields()
        let (key, denial) = authenticate(request, audience: audience)
        if audience != .admin {
            let decision = limiter.withLock { $0.admit(key: key, now: desk.now) }
            headers[.rateLimitLimit] = String(decision.limit)
            headers[.rateLimitRemaining] = String(decision.remaining)
            headers[.rateLimitReset] = String(decision.reset)
            if let denial { return denial.response(headers: headers) }
            guard decision.allowed else {
                headers[.retryAfter] = String(max(1, decision.reset - RateLimitWindow.unixSeconds(desk.now)))
                return Reply.error(ExchangeError(status: 429, code: 42_910_000, message: "rate limit exceeded"))
                    .response(headers: headers)
            }
        } else if let denial {
            return denial.response(headers: headers)
        }

        let fault = audience == .admin || !options.faultControls ? nil : faultPlan.withLock { $0.take(for: route) }
        switch fault {
        case .status(let status)?:
            logger.debug("paper exchange: fault", metadata: ["route": "\(route)", "status": "\(status)"])
            return Reply(status: status, body: Self.faultBody(status: status)).response(headers: headers)
        case .rateLimited(let seconds)?:
            let reset = RateLimitWindow.unixSeconds(desk.now) + Int64(seconds)
            headers[.rateLimitRemaining] = "0"
            headers[.rateLimitReset] = String(reset)
            headers[.retryAfter] = String(seconds)
            return Reply.error(ExchangeError(status: 429, code: 42_910_000, message: "rate limit exceeded"))
                .response(headers: headers)
        case .delay(let duration)?:
            try await Task.sleep(for: duration)
        case .resetBeforeHandling?:
            return await abortConnection(context)
        default:
            break
        }

        var reply: Reply
        do {
            reply = try await handler(request, context)
        } catch let error as ExchangeError {
            reply = .error(error)
        } catch let error as HTTPError {
            reply = .error(ExchangeError(status: Int(error.status.code), code: nil, message: error.body ?? "request refused"))
        } catch {
            logger.error("paper exchange: unexpected error", metadata: ["route": "\(route)", "error": "\(error.operatorText)"])
            reply = .error(ExchangeError(status: 500, code: 50_010_000, message: "internal server error occurred"))
        }

        switch fault {
        case .resetAfterHandling?:
            return await abortConnection(context)
        case .malformedBody?:
            return Reply.response(status: reply.status, bytes: (reply.body ?? .object([:])).truncatedBytes, headers: headers)
        case .missingField(let field)?:
            if let body = reply.body, let key = field ?? body.firstKey { reply.body = body.removingKey(key) }
        default:
            break
        }
        return reply.response(headers: headers)
    }

    /// The rate-limit key of the caller, and the refusal to send if its credentials are wrong.
    private func authenticate(_ request: Request, audience: Audience) -> (key: String, denial: Reply?) {
        switch audience {
        case .alpaca, .admin:
            let keyID = request.headers[.alpacaKeyID] ?? ""
            let secret = request.headers[.alpacaSecretKey] ?? ""
            let valid = constantTimeEqual(keyID, options.keyID.exposedValue) && constantTimeEqual(secret, options.secretKey.exposedValue)
            return ("alpaca:" + keyID, valid ? nil : .error(.forbidden))
        case .flow:
            let header = request.headers[.authorization] ?? ""
            let token = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
            let valid = !token.isEmpty && constantTimeEqual(token, options.bearerToken.exposedValue)
            return (
                "uw:" + token,
                valid ? nil : .error(ExchangeError(status: 401, code: 401, message: "invalid or missing API token"))
            )
        }
    }

    /// Closes the connection without an answer. SO_LINGER 0 makes the close a TCP reset (RST), so the
    /// client sees "connection reset by peer" rather than a clean end of stream. The response returned
    /// is never sent: writing it to the closed channel fails, and Hummingbird drops the connection.
    private func abortConnection(_ context: ExchangeRequestContext) async -> Response {
        logger.debug("paper exchange: fault: connection reset")
        let channel = context.channel
        if let provider = channel as? any SocketOptionProvider {
            try? await provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
        }
        try? await channel.close()
        return Response(status: .internalServerError)
    }

    private static func faultBody(status: Int) -> JSONValue {
        switch status {
        case 500: ExchangeError(status: 500, code: 50_010_000, message: "internal server error occurred").body
        case 503: .object(["message": .string("service unavailable")])
        default:
            .object(["message": .string(HTTPResponse.Status(code: status).reasonPhrase.isEmpty ? "HTTP \(status)" : HTTPResponse.Status(code: status).reasonPhrase)])
        }
    }
}

/// Compares two strings in time that depends only on their lengths, not on where they differ.
func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
    let a = Array(lhs.utf8)
    let b = Array(rhs.utf8)
    var difference = UInt8(a.count == b.count ? 0 : 1)
    for index in 0..<max(a.count, b.count) {
        difference |= (index < a.count ? a[index] : 0) ^ (index < b.count ? b[index] : 0)
    }
    return difference == 0
}
