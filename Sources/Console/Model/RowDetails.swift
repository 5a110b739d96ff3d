import Primitives
import TradingModel

/// What `Enter` shows for the selected row of the focused pane.
enum RowDetails {
    static func details(of model: ConsoleModel) -> (title: String, lines: [String])? {
        let data = model.shown
        let row = model.selectedRow(in: model.focus)
        switch model.focus {
        case .services:
            guard data.services.indices.contains(row) else { return nil }
            let service = data.services[row]
            var lines = [
                "Status:      \(service.status.rawValue)\(service.reason.map { " (\($0.rawValue))" } ?? "")",
                "Critical:    \(service.isCritical ? "yes" : "no (supportive)")",
                "Restarts:    \(service.restarts)",
                "Since:       \(TextFormat.dateTime(service.since))\(data.clock.map { " (\(TextFormat.age(of: service.since, at: $0)) ago)" } ?? "")",
                "Last error:  \(service.lastError ?? "none")",
            ]
            if let code = service.lastErrorCode { lines.append("Error code:  \(code)") }
            if let detail = service.detail { lines.append("Detail:      \(detail)") }
            return ("Service \(service.name)", lines)
        case .positions:
            guard data.positions.indices.contains(row) else { return nil }
            let position = data.positions[row]
            return (
                "Position \(position.symbol)",
                [
                    "Quantity:        \(position.quantityText)",
                    "Average entry:   \(position.averageEntryText)",
                    "Last price:      \(position.lastText)",
                    "Unrealised PnL:  \(position.unrealisedText)",
                    "Opened:          \(TextFormat.dateTime(position.openedAt))",
                ]
            )
        case .rejections:
            guard data.rejections.indices.contains(row) else { return nil }
            let rejection = data.rejections[row]
            return (
                "Guard rejection",
                [
                    "Time:     \(TextFormat.dateTime(rejection.time))",
                    "Order:    \(rejection.sideText) \(rejection.quantityText) \(rejection.symbol)",
                    "Check:    \(rejection.check)",
                    "Limit:    \(rejection.limit)",
                    "Actual:   \(rejection.actual)",
                    "Message:  \(rejection.message)",
                ]
            )
        case .orders:
            let orders = data.vitals?.orders ?? []
            guard orders.indices.contains(row) else { return nil }
            let order = orders[row]
            let age = data.clock.map { " (\(TextFormat.age(of: order.submittedAt, at: $0)) ago)" } ?? ""
            return (
                "Order \(order.side) \(order.quantity) \(order.symbol)",
                [
                    "Status:           \(order.status)",
                    "Side:             \(order.side)",
                    "Quantity:         \(order.quantity)",
                    "Limit:            \(order.limit)",
                    "Submitted:        \(TextFormat.dateTime(order.submittedAt))\(age)",
                    "Client order id:  \(order.clientOrderID)",
                ]
            )
        case .chaos:
            let modes = ChaosMode.keyed
            guard modes.indices.contains(row) else { return nil }
            let mode = modes[row]
            let state =
                model.chaosLocked ? "LOCKED (live account)" : (data.chaosOn.contains(mode) ? "ON" : "OFF")
            return (
                "Chaos \(row + 1) \(mode.rawValue)",
                [
                    "State:      \(state)",
                    "Rehearses:  \(mode.rehearsal)",
                    "Key:        \(row + 1) switches it \(data.chaosOn.contains(mode) ? "off" : "on")",
                ]
            )
        case .events:
            guard row >= 0, row < data.events.shownCount else { return nil }
            let event = data.events.shown(row)
            let level =
                switch event.level {
                case .info: "info"
                case .warning: "WARNING"
                case .error: "ERROR"
                }
            var lines = ["Time:   \(TextFormat.dateTime(event.time))", "Level:  \(level)", event.text]
            if event.count > 1 { lines.insert("Logged: \(event.count) times, the last at \(TextFormat.dateTime(event.lastTime))", at: 1) }
            return ("Event", lines)
        }
    }
}
