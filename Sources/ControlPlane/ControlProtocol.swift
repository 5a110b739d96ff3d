import Foundation
import Primitives
import TradingModel

/// The control socket's wire protocol, version 1: one JSON object per line (UTF-8, at most 64 KiB a
/// line), each with a `type`.
///
/// client → `{"type":"hello","version":1,"client":"attach"|"ctl"|"console","read_only":bool}`
/// server → `{"type":"hello","version":1,"pid":123,"broker":"SIM"}`, `{"type":"snapshot","snapshot":{…}}`,
/// then `{"type":"event","event":{…}}` for every event (a fresh `snapshot` instead of a gap)
/// client → `{"type":"command","tag":7,"command":{"name":"halt"}}`
/// server → `{"type":"result","tag":7,"result":{…}}` (the tag echoed, when the client gave one)
/// server → `{"type":"error","message":"…"}`, and the connection is closed.
public enum ControlProtocol {
    public static let version = 1
    /// The longest line either side accepts, without its newline.
    public static let maximumLineBytes = 64 * 1024
    /// The socket's name inside the state folder.
    public static let socketName = "control.sock"

    /// The path of the control socket of `stateDirectory`.
    public static func socketPath(stateDirectory: String) -> String {
        stateDirectory.hasSuffix("/") ? stateDirectory + socketName : stateDirectory + "/" + socketName
    }

    /// What a client says first.
    public struct ClientHello: Hashable, Sendable, Codable {
        public var version: Int
        /// "attach", "ctl" or "console".
        public var client: String
        public var readOnly: Bool

        public init(version: Int = ControlProtocol.version, client: String, readOnly: Bool) {
            self.version = version
            self.client = client
            self.readOnly = readOnly
        }

        enum CodingKeys: String, CodingKey {
            case version, client
            case readOnly = "read_only"
        }
    }

    /// The server's answer to a hello.
    public struct ServerHello: Hashable, Sendable, Codable {
        public var version: Int
        public var pid: Int32
        public var broker: String

        public init(version: Int = ControlProtocol.version, pid: Int32, broker: String) {
            self.version = version
            self.pid = pid
            self.broker = broker
        }
    }

    /// Every message of the protocol, either way.
    public enum Message: Hashable, Sendable {
        case clientHello(ClientHello)
        case serverHello(ServerHello)
        case snapshot(ControlSnapshot)
        case event(Event)
        case command(ControlCommand, tag: UInt64?)
        case result(CommandResult, tag: UInt64?)
        case error(String)
    }

    /// Why a line could not be read; `message` is what the server sends back before it closes.
    public struct LineError: Error, Hashable, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { message }

        public init(message: String) {
            self.message = message
        }
    }

    /// One line of the protocol, newline included.
    public static func encode(_ message: Message) -> [UInt8] {
        var bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(Envelope(message)))
        } catch {
            // Every message is made of plain Codable values; this cannot happen, but never send a torn line.
            bytes = Array(#"{"type":"error","message":"the server could not encode a message"}"#.utf8)
        }
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }

    /// Reads one line (without its newline). A client's hello, command; a server's anything. Lines from
    /// a client are held to `maximumLineBytes`; a server's snapshot may be longer (`limit: nil`).
    public static func decode<Bytes: Collection<UInt8>>(_ line: Bytes, limit: Int? = maximumLineBytes) throws(LineError) -> Message {
        if let limit, line.count > limit {
            throw LineError(message: "line longer than \(limit) bytes")
        }
        let data = Data(line)
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw LineError(message: "not a JSON object with a \"type\": each line must be one JSON message")
        }
        do {
            return try decoder.decode(Envelope.self, from: data).message
        } catch let error as LineError {
            throw error
        } catch {
            throw LineError(message: "\"\(header.type.prefix(32))\" message is malformed: \(describe(error))")
        }
    }

    private struct Header: Decodable {
        var type: String
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private static let decoder = JSONDecoder()

    /// A decoding error in a few words for the operator (never a type dump).
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "unreadable" }
        switch error {
        case .keyNotFound(let key, _): return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "\"\(context.codingPath.map(\.stringValue).joined(separator: "."))\" has the wrong type"
        case .dataCorrupted(let context):
            return context.debugDescription.isEmpty ? "unreadable" : String(context.debugDescription.prefix(200))
        @unknown default: return "unreadable"
        }
    }

    /// The JSON shape of a message: a `type` beside the payload's key.
    private struct Envelope: Codable {
        var message: Message

        init(_ message: Message) { self.message = message }

        enum CodingKeys: String, CodingKey {
            case type, version, client, readOnly = "read_only", pid, broker, snapshot, event, command, tag, result, message
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let type = try container.decode(String.self, forKey: .type)
            switch type {
            case "hello":
                let version = try container.decode(Int.self, forKey: .version)
                if container.contains(.client) {
                    guard version == ControlProtocol.version else {
                        throw LineError(message: "protocol version \(version) not supported; this Bulwark speaks \(ControlProtocol.version)")
                    }
                    message = .clientHello(ClientHello(
                        version: version, client: try container.decode(String.self, forKey: .client),
                        readOnly: try container.decodeIfPresent(Bool.self, forKey: .readOnly) ?? false))
                } else {
                    guard version == ControlProtocol.version else {
                        throw LineError(message: "the server speaks protocol version \(version); this client speaks \(ControlProtocol.version)")
                    }
                    message = .serverHello(ServerHello(
                        version: version, pid: try container.decode(Int32.self, forKey: .pid),
                        broker: try container.decode(String.self, forKey: .broker)))
                }
            case "snapshot": message = .snapshot(try container.decode(ControlSnapshot.self, forKey: .snapshot))
            case "event": message = .event(try container.decode(Event.self, forKey: .event))
            case "command":
                message = .command(try container.decode(ControlCommand.self, forKey: .command), tag: try container.decodeIfPresent(UInt64.self, forKey: .tag))
            case "result":
                message = .result(try container.decode(CommandResult.self, forKey: .result), tag: try container.decodeIfPresent(UInt64.self, forKey: .tag))
            case "error": message = .error(try container.decode(String.self, forKey: .message))
            default:
                throw LineError(message: "unknown message type \"\(type.prefix(32))\" (hello, command)")
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch message {
            case .clientHello(let hello):
                try container.encode("hello", forKey: .type)
                try container.encode(hello.version, forKey: .version)
                try container.encode(hello.client, forKey: .client)
                try container.encode(hello.readOnly, forKey: .readOnly)
            case .serverHello(let hello):
                try container.encode("hello", forKey: .type)
                try container.encode(hello.version, forKey: .version)
                try container.encode(hello.pid, forKey: .pid)
                try container.encode(hello.broker, forKey: .broker)
            case .snapshot(let snapshot):
                try container.encode("snapshot", forKey: .type)
                try container.encode(snapshot, forKey: .snapshot)
            case .event(let event):
                try container.encode("event", forKey: .type)
                try container.encode(event, forKey: .event)
            case .command(let command, let tag):
                try container.encode("command", forKey: .type)
                try container.encode(command, forKey: .command)
                try container.encodeIfPresent(tag, forKey: .tag)
            case .result(let result, let tag):
                try container.encode("result", forKey: .type)
                try container.encode(result, forKey: .result)
                try container.encodeIfPresent(tag, forKey: .tag)
            case .error(let text):
                try container.encode("error", forKey: .type)
                try container.encode(text, forKey: .message)
            }
        }
    }
}
