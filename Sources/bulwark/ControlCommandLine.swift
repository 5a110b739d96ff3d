import ArgumentParser
import ControlPlane
import Foundation
import Primitives
import TradingModel

/// `bulwark ctl …`: one command to a running Bulwark over its control socket, for scripts and cron.
/// Exit 0 accepted, 1 refused (the reason on stderr), 3 no Bulwark running with that state folder.
struct ControlCommandLine: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ctl",
        abstract: "Send one command to a running Bulwark (headless or not) over state/control.sock.",
        discussion: """
            Actions: status, halt, resume, reduce-only, flatten, close SYMBOL, chaos MODE on|off.
            Exit status: 0 accepted (or status shown), 1 refused (the reason on stderr), 3 no Bulwark running.
            Without a running Bulwark, `touch <state-dir>/HALT` halts trading when it starts.
            """)

    @Argument(help: ArgumentHelp("status | halt | resume | reduce-only | flatten | close | chaos", valueName: "action"))
    var action: String

    @Argument(help: ArgumentHelp("For close: the symbol. For chaos: the mode (\(ChaosMode.allCases.map(\.rawValue).joined(separator: ", "))) and on or off.", valueName: "arguments"))
    var arguments: [String] = []

    @Flag(help: "Print the snapshot (status) or the result (other actions) as JSON.")
    var json = false

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("The state folder of the Bulwark to talk to (default ./state).", valueName: "path"))
    var stateDirectory = "state"

    static let noInstanceExit: Int32 = 3

    /// The command `action` names, or nil for status.
    func command() throws -> ControlCommand? {
        switch action {
        case "status":
            guard arguments.isEmpty else { throw ValidationError("status takes no arguments") }
            return nil
        case "halt", "resume", "reduce-only", "flatten":
            guard arguments.isEmpty else { throw ValidationError("\(action) takes no arguments") }
            return switch action {
            case "halt": .halt
            case "resume": .resume
            case "reduce-only": .reduceOnly
            default: .flattenAll
            }
        case "close":
            guard arguments.count == 1 else { throw ValidationError("close takes the symbol of one position, e.g. `bulwark ctl close AMZN`") }
            guard let symbol = Symbol(arguments[0].uppercased()) else {
                throw ValidationError("close: \"\(arguments[0].prefix(40))\" is not a ticker symbol (1–10 letters and digits, at most one . or /, e.g. BRK.B)")
            }
            return .closePosition(symbol)
        case "chaos":
            let modes = ChaosMode.allCases.map(\.rawValue).joined(separator: ", ")
            guard arguments.count == 2, let mode = ChaosMode(rawValue: arguments[0]), ["on", "off"].contains(arguments[1]) else {
                throw ValidationError("chaos takes a mode (\(modes)) and on or off, e.g. `bulwark ctl chaos latency on`")
            }
            return .chaos(mode, on: arguments[1] == "on")
        default:
            throw ValidationError("unknown action \"\(action)\": use status, halt, resume, reduce-only, flatten, close SYMBOL or chaos MODE on|off")
        }
    }

    func validate() throws {
        _ = try command()
    }

    func run() async throws {
        let command = try command()
        let folder = absolute(stateDirectory)
        let socketPath = ControlProtocol.socketPath(stateDirectory: folder)
        let client: ControlClient
        do {
            client = try await ControlClient.connect(socketPath: socketPath, client: "ctl", readOnly: command == nil)
        } catch {
            Terminal.printError("bulwark ctl: \(error.message)")
            if error.code == .notRunning {
                Terminal.printError("  touch \(folder)/HALT halts trading without it")
                throw ExitCode(Self.noInstanceExit)
            }
            throw ExitCode(1)
        }
        defer { client.close() }
        guard let command else {
            try await status(client)
            return
        }
        let result: CommandResult
        do {
            result = try await client.send(command)
        } catch {
            Terminal.printError("bulwark ctl: \(command): \(error.message); the command may or may not have been carried out (see `bulwark ctl status`)")
            throw ExitCode(1)
        }
        if json {
            print(Self.json(result))
        } else if result.accepted {
            print(result.message)
        }
        guard result.accepted else {
            Terminal.printError("bulwark ctl: \(command) refused: \(result.message)")
            throw ExitCode(1)
        }
    }

    private func status(_ client: ControlClient) async throws {
        for await message in client.messages {
            switch message {
            case .snapshot(let snapshot):
                print(json ? Self.json(snapshot) : Self.summary(snapshot, pid: client.server.pid))
                return
            case .error(let text):
                Terminal.printError("bulwark ctl: Bulwark refused: \(text)")
                throw ExitCode(1)
            case .event, .result:
                continue
            }
        }
        Terminal.printError("bulwark ctl: the connection dropped before the status came")
        throw ExitCode(1)
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    static func json(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// The few lines an operator reads first.
    static func summary(_ snapshot: ControlSnapshot, pid: Int32) -> String {
        var lines = ["Bulwark pid \(pid), broker \(snapshot.broker), as of \(snapshot.takenAt.rfc3339)"]
        if let trading = snapshot.trading {
            let reason = trading.reason.map { ": \($0)" } ?? ""
            lines.append("trading      \(trading.mode.rawValue)\(reason) (since \(trading.since.rfc3339))")
        } else {
            lines.append("trading      not known yet (starting)")
        }
        if snapshot.holds.isEmpty {
            lines.append("holds        none")
        } else {
            for (index, hold) in snapshot.holds.enumerated() {
                lines.append("\(index == 0 ? "holds       " : "            ") \(hold.code.rawValue): \(hold.reason) (since \(hold.since.rfc3339))")
            }
        }
        if let overall = snapshot.overall {
            lines.append("health       \(overall.status.rawValue)\(overall.reason.map { " (\($0.rawValue))" } ?? "")")
        }
        let services = snapshot.services.map { service in
            "\(service.name) \(service.status.rawValue)\(service.status == .ok ? "" : service.detail.map { " (\($0))" } ?? "")"
        }
        lines.append("services     \(services.isEmpty ? "none reported yet" : services.joined(separator: ", "))")
        lines.append("positions    \(snapshot.positions.count)")
        lines.append("open orders  \(snapshot.openOrders.count)")
        let chaos = snapshot.chaosOn.map(\.rawValue).joined(separator: ", ")
        lines.append("chaos        \(chaos.isEmpty ? "off" : chaos)\(snapshot.chaosLocked ? " (locked: live account)" : "")")
        return lines.joined(separator: "\n")
    }
}
