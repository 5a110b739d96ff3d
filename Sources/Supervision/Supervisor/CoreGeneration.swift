import Engine
import Persistence
/// One generation of the core, built from what is on disk: the parts the operator's commands reach, and
/// the supervisor that runs its services. `supervisor_crash` throws a generation away without any
/// graceful step and builds the next one, which loads the state file and reconciles before trading.
public struct CoreGeneration: Sendable {
    public var number: Int
    public var store: StateStore
    public var reconciler: Reconciler
    public var controller: TradingController
    public var engine: TradingEngine
    public var supervisor: Supervisor

    public init(number: Int, store: StateStore, reconciler: Reconciler, controller: TradingController, engine: TradingEngine, supervisor: Supervisor) {
        self.number = number
        self.store = store
        self.reconciler = reconciler
        self.controller = controller
        self.engine = engine
        self.supervisor = supervisor
    }
}
