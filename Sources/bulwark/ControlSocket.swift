import Assembly
import ControlPlane
import Logging
import Persistence
import Primitives
import Settings
import Supervision
import TradingModel

/// The wiring of the control plane into `bulwark run`: the status board (made with the bus, before
/// anything publishes) and the control socket `state/control.sock`, serving the board's snapshots with
/// the holds of the generation in force, and handing commands to the core's one ordered queue.
enum ControlSocket {
    static func board(bus: EventBus, clock: any WallClock, configuration: BulwarkConfiguration, broker: String) -> StatusBoard {
        StatusBoard(bus: bus, clock: clock, broker: broker, chaosLocked: configuration.broker.isLive)
    }

    /// Binds the socket (a clear error when it cannot be); serve it by adding it to the service group
    /// before the host, so that it stops after the core.
    static func server(board: StatusBoard, runtime: Runtime, broker: String, logger: Logger) throws(ControlServerError) -> ControlServer {
        board.seed(services: runtime.registry.services, overall: runtime.registry.overall, chaosOn: Array(runtime.chaos.activeModes))
        let host = runtime.host
        return try ControlServer(
            socketPath: ControlProtocol.socketPath(stateDirectory: runtime.configuration.paths.stateDirectory), broker: broker,
            bus: runtime.bus,
            snapshot: { board.snapshot(holds: host.generation?.store.state.trading.holds ?? []) },
            handler: { command, actor in host.enqueue(command, from: actor) },
            logger: logger)
    }
}
