import Console
import Foundation
import Primitives
import TradingModel

/// Helpers shared by the console tests.
enum Fixture {
    static let start = ConsoleModel.fixtureStart

    /// The model the golden frames draw: a few positions and rejections, uw-daemon FAILED, trading HALTED.
    static func sample(broker: BrokerLabel = .sim, readOnly: Bool = false) -> ConsoleModel {
        var model = ConsoleModel.benchmarkFixture(positions: 6, rejections: 12, broker: broker)
        model.readOnly = readOnly
        return model
    }

    static func event(_ kind: EventKind, at seconds: Int64 = 0, sequence: UInt64 = 1) -> Event {
        Event(sequence: sequence, timestamp: start.advanced(by: .seconds(seconds)), kind: kind)
    }

    static func feed(_ model: ConsoleModel, _ kinds: EventKind...) -> ConsoleModel {
        var model = model
        for (index, kind) in kinds.enumerated() {
            model = ConsoleUpdate.update(model, event: event(kind, at: Int64(index), sequence: UInt64(index + 1)))
        }
        return model
    }

    /// Presses `keys` in order; returns the final model and every effect produced.
    static func press(_ model: ConsoleModel, _ keys: [Key]) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        var effects: [ConsoleEffect] = []
        for key in keys {
            let (next, produced) = ConsoleUpdate.update(model, key: key)
            model = next
            effects += produced
        }
        return (model, effects)
    }

    static func press(_ model: ConsoleModel, _ keys: Key...) -> (ConsoleModel, [ConsoleEffect]) {
        press(model, keys)
    }

    static func typing(_ text: String) -> [Key] {
        text.map { Key.character($0) }
    }

    static func symbol(_ text: String) -> Symbol { Symbol(text)! }

    static func decimal(_ text: String) -> Decimal { Decimal(plainText: text)! }

    static func position(_ symbol: String, _ quantity: String, at price: String) -> Position {
        Position(symbol: Self.symbol(symbol), quantity: decimal(quantity), averageEntryPrice: decimal(price), openedAt: start)
    }

    static func quote(_ symbol: String, bid: String, ask: String) -> Quote {
        Quote(symbol: Self.symbol(symbol), bid: decimal(bid), ask: decimal(ask), timestamp: start)
    }

    static func rejection(_ symbol: String, check: String = "max_notional") -> GuardRejection {
        GuardRejection(symbol: symbol, side: .buy, quantity: 3, check: check, message: "too big", limit: "2000.00", actual: "2450.00")
    }

    static func service(_ name: ServiceName, _ status: HealthStatus, error: String? = nil, restarts: Int = 0) -> ServiceHealth {
        ServiceHealth(
            name: name, status: status, isCritical: true, restarts: restarts, lastError: error,
            reason: status == .failed ? .restarts : nil, since: start)
    }
}
