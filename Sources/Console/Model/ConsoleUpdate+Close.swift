import Primitives
import TradingModel

extension ConsoleUpdate {
    /// `C` on the Positions pane: asks to close the selected position (`bulwark ctl close SYMBOL`), Cancel
    /// focused; refused in read-only mode and while not connected, like every trading command.
    static func closeSelectedPosition(model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        guard model.focus == .positions else {
            model.notice = Notice("C closes the selected position: Tab to the Positions pane first.", severity: .info)
            return (model, [])
        }
        let positions = model.shown.positions
        let row = model.selectedRow(in: .positions)
        guard positions.indices.contains(row), let symbol = Symbol(positions[row].symbol) else {
            model.notice = Notice("No open position to close.", severity: .info)
            return (model, [])
        }
        let position = positions[row]
        return confirm(.closePosition(symbol, quantity: position.quantityText), command: .closePosition(symbol), model: model)
    }
}

extension Dialog {
    static func closePosition(_ symbol: Symbol, quantity: String) -> Dialog {
        Dialog(
            title: "Close \(symbol)?",
            lines: [
                "The whole position (\(quantity) \(symbol)) is closed with a market exit.",
                "Other positions and the trading mode stay as they are",
                "(from an operator's HALT it switches to REDUCING, as flatten does).",
            ],
            confirmLabel: "Close \(symbol)", effect: .send(.closePosition(symbol)), isDangerous: true)
    }
}
