import Primitives
import TradingModel

extension ConsoleModel {
    /// What identifies a row across updates, so that a selection (and an open details overlay) stays on
    /// its item when rows are added or removed above it.
    public enum ItemKey: Hashable, Sendable {
        case service(String)
        case position(String)
        case rejection(RejectionRow)
        /// An open order, by its client order id.
        case order(String)

        var pane: Pane {
            switch self {
            case .service: .services
            case .position: .positions
            case .rejection: .rejections
            case .order: .orders
            }
        }
    }

    /// The panes whose rows move as data arrives (Chaos rows never move; Events keep their own place).
    static let followedPanes: [Pane] = [.services, .positions, .rejections, .orders]

    /// The key of `row` of `pane` in the shown data, if the pane has keyed rows and the row exists.
    func itemKey(row: Int, in pane: Pane) -> ItemKey? {
        let data = shown
        switch pane {
        case .services: return data.services.indices.contains(row) ? .service(data.services[row].name) : nil
        case .positions: return data.positions.indices.contains(row) ? .position(data.positions[row].symbol) : nil
        case .rejections: return data.rejections.indices.contains(row) ? .rejection(data.rejections[row]) : nil
        case .orders:
            let orders = data.vitals?.orders ?? []
            return orders.indices.contains(row) ? .order(orders[row].clientOrderID) : nil
        case .chaos, .events: return nil
        }
    }

    /// Where the item is now in the shown data, or nil when it is gone.
    func row(of key: ItemKey) -> Int? {
        let data = shown
        switch key {
        case .service(let name): return data.services.firstIndex { $0.name == name }
        case .position(let symbol):
            let (index, found) = data.positionIndex(of: symbol)
            return found ? index : nil
        case .rejection(let rejection): return data.rejections.firstIndex(of: rejection)
        case .order(let id): return data.vitals?.orders.firstIndex { $0.clientOrderID == id }
        }
    }
}

extension ConsoleUpdate {
    /// Makes `change`, then puts each pane's selection back on the item it was on (when that item is
    /// still there) and brings an open details overlay up to date. A pane whose selection the operator
    /// never moved keeps its top row selected.
    static func following(_ model: ConsoleModel, _ change: (inout ConsoleModel) -> Void) -> ConsoleModel {
        var model = model
        let keys = ConsoleModel.followedPanes.compactMap { pane in
            model.selection[pane] == nil ? nil : model.itemKey(row: model.selectedRow(in: pane), in: pane)
        }
        change(&model)
        for key in keys {
            if let row = model.row(of: key) { model.selection[key.pane] = row }
        }
        refreshDetails(&model)
        return model
    }

    /// An open details overlay shows its item as it is now; when the item is gone it says so, above what
    /// was last seen of it.
    static func refreshDetails(_ model: inout ConsoleModel) {
        guard case .details(let title, let lines) = model.overlay, let key = model.detailsItem else { return }
        if let row = model.row(of: key) {
            var focused = model
            focused.focus = key.pane
            focused.selection[key.pane] = row
            if let details = RowDetails.details(of: focused) { model.overlay = .details(title: details.title, lines: details.lines) }
            return
        }
        guard !title.hasSuffix(goneSuffix) else { return }
        let gone: String
        switch key {
        case .position(let symbol): gone = "GONE: \(symbol) is no longer held (the position closed)."
        case .service(let name): gone = "GONE: \(name) is no longer reported."
        case .rejection: gone = "GONE: this rejection left the list (only the newest \(ConsoleModel.rejectionLimit) are kept)."
        case .order: gone = "GONE: the order is no longer open (filled, cancelled, expired or rejected: see Events)."
        }
        model.overlay = .details(title: title + goneSuffix, lines: [gone, "As last seen:"] + lines)
    }

    static let goneSuffix = " (gone)"
}
