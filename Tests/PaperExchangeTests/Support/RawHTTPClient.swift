import Foundation
#if canImport(Glibc)
import Glibc
#endif
import PaperExchange

/// An HTTP/1.1 answer as it came off the socket.
struct HTTPReply: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    var json: JSONValue {
        get throws { try JSONValue(parsing: body) }
    }
}

/// Why a request got no answer.
enum RawHTTPError: Error, Equatable, CustomStringConvertible {
    case connect(String)
    /// The server closed the connection (or reset it) before sending a status line.
    case closedWithoutAnswer(reset: Bool)
    case timedOut
    case malformed(String)

    var description: String {
        switch self {
        case .connect(let reason): "connect failed: \(reason)"
        case .closedWithoutAnswer(let reset): reset ? "connection reset without an answer" : "connection closed without an answer"
        case .timedOut: "timed out"
        case .malformed(let reason): "malformed answer: \(reason)"
        }
    }
}

/// A tiny HTTP/1.1 client over a POSIX socket, one connection per request (`Connection: close`).
/// The blocking socket calls run on a thread of their own: on Linux, Dispatch's global queues and Swift's
/// cooperative pool share one pool as wide as the CPU count, so blocking there would starve the very
/// server the test talks to.
enum RawHTTPClient {
    static func send(
        port: Int, method: String, path: String, headers: [(String, String)] = [], body: String? = nil,
        timeoutSeconds: Int = 60
    ) async throws -> HTTPReply {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPReply, any Error>) in
            let request = encode(method: method, path: path, port: port, headers: headers, body: body)
            let thread = Thread {
                continuation.resume(with: Result { try exchange(port: port, request: request, timeout: timeoutSeconds) })
            }
            thread.start()
        }
    }

    static func encode(method: String, path: String, port: Int, headers: [(String, String)], body: String?) -> [UInt8] {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { text += "Content-Type: application/json\r\n" }
            text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            text += "\r\n"
        }
        return Array(text.utf8)
    }

    private static func exchange(port: Int, request: [UInt8], timeout: Int) throws -> HTTPReply {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RawHTTPError.connect(String(cString: strerror(errno))) }
        defer { close(fd) }
        var time = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &time, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw RawHTTPError.connect(String(cString: strerror(errno))) }
        var sent = 0
        while sent < request.count {
            let count = request[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw RawHTTPError.closedWithoutAnswer(reset: errno == ECONNRESET) }
            sent += count
        }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                received.append(contentsOf: chunk[0..<count])
                continue
            }
            if count == 0 { break }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { throw RawHTTPError.timedOut }
            if errno == ECONNRESET {
                if received.isEmpty { throw RawHTTPError.closedWithoutAnswer(reset: true) }
                break
            }
            throw RawHTTPError.malformed(String(cString: strerror(errno)))
        }
        guard !received.isEmpty else { throw RawHTTPError.closedWithoutAnswer(reset: false) }
        return try parse(received)
    }

    static func parse(_ bytes: [UInt8]) throws -> HTTPReply {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.firstRange(of: separator) else { throw RawHTTPError.malformed("no end of headers") }
        let head = String(decoding: bytes[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = head[0].split(separator: " ")
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw RawHTTPError.malformed("status line \(head[0])")
        }
        var headers: [(name: String, value: String)] = []
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        var body = Array(bytes[end.upperBound...])
        let reply = HTTPReply(status: status, headers: headers, body: [])
        if reply.header("transfer-encoding")?.lowercased() == "chunked" {
            body = try dechunk(body)
        } else if let length = reply.header("content-length").flatMap(Int.init) {
            guard body.count >= length else { throw RawHTTPError.malformed("body shorter than Content-Length") }
            body = Array(body.prefix(length))
        }
        return HTTPReply(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ bytes: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        let crlf: [UInt8] = [13, 10]
        while true {
            guard let lineEnd = bytes[index...].firstRange(of: crlf) else { throw RawHTTPError.malformed("chunk size") }
            let sizeText = String(decoding: bytes[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";")[0]
            guard let size = Int(sizeText, radix: 16) else { throw RawHTTPError.malformed("chunk size \(sizeText)") }
            index = lineEnd.upperBound
            if size == 0 { return output }
            guard index + size <= bytes.count else { throw RawHTTPError.malformed("short chunk") }
            output.append(contentsOf: bytes[index..<index + size])
            index += size + 2
        }
    }
}
