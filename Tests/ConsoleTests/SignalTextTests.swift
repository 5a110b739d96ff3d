import Foundation
import Testing

@testable import Console
import Primitives
import TradingModel

struct SignalTextTests {
    /// A close names its rule in the console's event line.
    @Test func closeLineNamesTheRule() {
        let close = PositionClose(symbol: Symbol("GOOGL")!, closedQuantity: 2, exitPrice: Decimal(string: "169.74")!, realizedPnL: -3, rule: .stopLoss)
        #expect(EventText.closed(close) == "Closed 2 GOOGL @ 169.74 (stop loss), realised -3.00")
    }

    /// The flatten dialog says that trading stays REDUCING until the operator resumes.
    @Test func dialogSaysReducingUntilResumed() {
        let dialog = Dialog.flattenAll(positions: 2)
        #expect(dialog.lines.contains { $0.contains("REDUCING") && $0.contains("until you resume") }, "\(dialog.lines)")
    }
}
