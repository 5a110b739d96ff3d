import Logging
import Persistence
import RiskGuard
import TradingModel
import Primitives

/// The trade guard with its consequences: every rejection is written to the order journal, published on
/// the bus and logged, and nothing else happens — trading goes on for other orders and symbols, and the
/// services' health is not touched (a rejection is the guard working, not a fault).
public struct OrderGate: Sendable {
    public let tradeGuard: TradeGuard
    private let journal: OrderJournal
    private let bus: EventBus?
    private let logger: Logger

    public init(tradeGuard: TradeGuard, journal: OrderJournal, bus: EventBus?, logger: Logger) {
        self.tradeGuard = tradeGuard
        self.journal = journal
        self.bus = bus
        self.logger = logger
    }

    /// Evaluates `order`; a rejection is journaled (fsynced) before it is published.
    public func check(_ order: ProposedOrder, in context: GuardContext) -> GuardDecision {
        let decision = tradeGuard.evaluate(order, in: context)
        guard let rejection = decision.rejection else { return decision }
        do {
            try journal.append(.guardRejected(rejection))
        } catch {
            // The order is refused either way; losing its journal line is worth an error, not a halt.
            logger.error("could not journal a guard rejection", metadata: ["error": "\(error.operatorText)", "check": "\(rejection.check)"])
        }
        bus?.publish(.guardRejected(rejection))
        logger.info(
            "order refused by the trade guard",
            metadata: [
                "symbol": "\(rejection.symbol)", "side": "\(rejection.side.rawValue)", "quantity": "\(rejection.quantity)",
                "check": "\(rejection.check)", "limit": "\(rejection.limit)", "actual": "\(rejection.actual)",
            ])
        return decision
    }
}
