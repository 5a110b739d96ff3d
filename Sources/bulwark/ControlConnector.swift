import Console
import ControlPlane
import Primitives
import TradingModel

/// How a console reaches its instance: a `ControlClient` on the state folder's control socket, seen as a
/// `ConsoleConnection`. The in-process console of `bulwark run` and `bulwark attach` both come this way.
enum ControlConnector {
    /// Connects as `client` ("console" or "attach") to the instance serving `stateDirectory`.
    static func connect(stateDirectory: String, client: String, readOnly: Bool) -> ConsoleLink.Connect {
        let socketPath = ControlProtocol.socketPath(stateDirectory: stateDirectory)
        return {
            let control: ControlClient
            do throws(ControlClientError) {
                control = try await ControlClient.connect(socketPath: socketPath, client: client, readOnly: readOnly)
            } catch {
                return .failed(error.message)
            }
            let (inputs, input) = AsyncStream.makeStream(of: ConsoleInput.self)
            let forwarding = Task {
                var reason = "Bulwark closed the connection"
                for await message in control.messages {
                    switch message {
                    case .snapshot(let snapshot): input.yield(.snapshot(snapshot))
                    case .event(let event): input.yield(.event(event))
                    // A result from the core comes as an event too; `send` returns the others.
                    case .result: break
                    case .error(let message): reason = message
                    }
                }
                input.yield(.connection(.disconnected(reason)))
                input.finish()
            }
            return .connected(
                ConsoleConnection(
                    inputs: inputs,
                    send: { command in
                        do throws(ControlClientError) {
                            return try await control.send(command)
                        } catch {
                            return CommandResult(command: command, accepted: false, message: "not sent: \(error.message)", code: error.errorCode)
                        }
                    },
                    close: {
                        control.close()
                        forwarding.cancel()
                    }))
        }
    }
}
