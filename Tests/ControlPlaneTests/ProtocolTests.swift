import ControlPlane
import Foundation
import Primitives
import Testing
import TradingModel

/// The wire protocol: every message survives a round trip; bad lines are refused with words, not dumps.
struct ProtocolTests {
    private static let time = Timestamp.seconds(1_780_000_000)

    private static func roundTrip(_ message: ControlProtocol.Message) throws -> ControlProtocol.Message {
        let line = ControlProtocol.encode(message)
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")), "a message must be one line")
        return try ControlProtocol.decode(line.dropLast())
    }

    /// Hellos, commands, results, errors, events and a full snapshot come back equal after a round trip.
    @Test func everyMessageRoundTrips() throws {
        let position = Position(symbol: Symbol("AAPL")!, quantity: Decimal(string: "3")!, averageEntryPrice: Decimal(string: "187.25")!, openedAt: Self.time)
        let snapshot = ControlSnapshot(
            sequence: 42, takenAt: Self.time, broker: "SIM", chaosLocked: false,
            trading: TradingState(mode: .halted, reason: "halted by the operator (ctl)", actor: .operator, since: Self.time),
            overall: OverallHealth(status: .degraded, reason: nil), positions: [position],
            recentEvents: [Event(sequence: 41, timestamp: Self.time, kind: .positionOpened(position))], chaosOn: [.latency],
            account: AccountSnapshot(equity: Decimal(string: "100000.01")!, cash: 5, buyingPower: Decimal(string: "0.10")!))
        let result = CommandResult(id: 9, command: .chaos(.latency, on: true), actor: CommandActor(kind: .ctl, detail: "uid 0 pid 1"), accepted: true, message: "ok")
        let messages: [ControlProtocol.Message] = [
            .clientHello(ControlProtocol.ClientHello(client: "attach", readOnly: true)),
            .serverHello(ControlProtocol.ServerHello(pid: 4242, broker: "PAPER")),
            .command(.reduceOnly, tag: 7), .command(.flattenAll, tag: nil), .command(.chaos(.alpacaDown, on: false), tag: 1), .command(.closePosition(Symbol("BRK.B")!), tag: 2),
            .result(result, tag: 3), .error("line too long"), .snapshot(snapshot),
            .event(Event(sequence: 7, timestamp: Self.time, kind: .commandResult(result))),
        ]
        for message in messages {
            #expect(try Self.roundTrip(message) == message)
        }
    }

    /// The documented spellings are what goes on the wire.
    @Test func wireSpellings() throws {
        let hello = String(decoding: ControlProtocol.encode(.clientHello(ControlProtocol.ClientHello(client: "ctl", readOnly: false))), as: UTF8.self)
        #expect(hello == #"{"client":"ctl","read_only":false,"type":"hello","version":1}"# + "\n")
        let command = String(decoding: ControlProtocol.encode(.command(.chaos(.latency, on: true), tag: nil)), as: UTF8.self)
        #expect(command == #"{"command":{"mode":"latency","name":"chaos","on":true},"type":"command"}"# + "\n")
        let decoded = try ControlProtocol.decode(Array(#"{"type":"command","command":{"name":"reduce_only"}}"#.utf8))
        #expect(decoded == .command(.reduceOnly, tag: nil))
        let close = String(decoding: ControlProtocol.encode(.command(.closePosition(Symbol("AMZN")!), tag: nil)), as: UTF8.self)
        #expect(close == #"{"command":{"name":"close","symbol":"AMZN"},"type":"command"}"# + "\n")
    }

    /// Invalid JSON, an unknown type, an unknown command, another version and an overlong line are each
    /// refused with a plain message.
    @Test func badLinesAreRefused() {
        let cases: [(String, String)] = [
            ("{not json", "JSON"),
            ("[1,2]", "JSON"),
            (#"{"type":"subscribe"}"#, "unknown message type \"subscribe\""),
            (#"{"type":"command","command":{"name":"explode"}}"#, "unknown command"),
            (#"{"type":"command","command":{"name":"close","symbol":"amzn!"}}"#, "not a valid ticker symbol"),
            (#"{"type":"hello","version":2,"client":"ctl","read_only":false}"#, "protocol version 2 not supported; this Bulwark speaks 1"),
            (#"{"type":"hello","client":"ctl"}"#, "\"version\" is missing"),
        ]
        for (line, expected) in cases {
            #expect(throws: ControlProtocol.LineError.self) { try ControlProtocol.decode(Array(line.utf8)) }
            do {
                _ = try ControlProtocol.decode(Array(line.utf8))
            } catch {
                #expect(error.message.contains(expected), "\(line): \(error.message)")
                #expect(!error.message.contains("DecodingError"))
            }
        }
        let long = [UInt8](repeating: UInt8(ascii: " "), count: ControlProtocol.maximumLineBytes + 1)
        #expect(throws: ControlProtocol.LineError(message: "line longer than 65536 bytes")) { try ControlProtocol.decode(long) }
    }
}
