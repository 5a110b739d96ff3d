import Foundation
import Primitives
import TradingModel

extension ConsoleUpdate {
    /// Folds one input of the console's stream: a snapshot replaces the live data, an event is folded
    /// in (unless the snapshot already holds it), a connection change is recorded.
    public static func update(_ model: ConsoleModel, input: ConsoleInput) -> ConsoleModel {
        switch input {
        case .snapshot(let snapshot):
            return following(model) { apply(snapshot, to: &$0) }
        case .event(let event) where event.sequence == 0:
            // Made by the console's own link (a command the core never saw): outside the bus's sequence.
            return update(model, event: event)
        case .event(let event):
            if let last = model.lastSequence, event.sequence <= last { return model }
            var model = update(model, event: event)
            model.lastSequence = event.sequence
            return model
        case .connection(let status):
            return update(model, connection: status)
        }
    }

    /// Records the connection's state. Losing it notes the moment the data shown dates from.
    public static func update(_ model: ConsoleModel, connection status: ConnectionStatus) -> ConsoleModel {
        var model = model
        let wasConnected = model.isConnected
        model.connection = status
        switch status {
        case .connected:
            model.dataAsOf = nil
        case .connecting, .disconnected:
            if wasConnected { model.dataAsOf = model.live.clock }
            // A command dialog would send nothing now.
            if let dialog = model.dialog, case .send = dialog.effect { model.overlay = nil }
        }
        if wasConnected, case .disconnected(let reason) = status, let time = model.live.clock {
            model.live.log(.error, "Disconnected from Bulwark: \(reason)", at: time)
        }
        if !wasConnected, status == .connected, let time = model.live.clock, model.lastSequence != nil {
            model.live.log(.info, "Connected to Bulwark again", at: time)
        }
        return model
    }

    /// Reports what came of creating `state/HALT` (the `createHaltFile` effect).
    public static func update(_ model: ConsoleModel, haltFile outcome: HaltFileOutcome) -> ConsoleModel {
        var model = model
        switch outcome {
        case .created:
            model.notice = Notice(
                "Halted by the kill switch file state/HALT; remove it to allow a resume.", severity: .warning)
            if let time = model.live.clock {
                model.live.log(.warning, "Not connected: halted by creating the kill switch file state/HALT", at: time)
            }
        case .failed(let reason):
            model.notice = Notice("Could not create state/HALT: \(reason)", severity: .error)
            if let time = model.live.clock { model.live.log(.error, "Creating state/HALT failed: \(reason)", at: time) }
        }
        return model
    }

    /// Replaces the live data with the snapshot's. The Events pane is rebuilt from the snapshot's recent
    /// events through the same fold as live events; the equity history (drawn from what this console has
    /// seen) is kept.
    static func apply(_ snapshot: ControlSnapshot, to model: inout ConsoleModel) {
        if let broker = BrokerLabel(rawValue: snapshot.broker) { model.broker = broker }
        model.chaosLocked = snapshot.chaosLocked
        var data = ConsoleModel.Snapshot()
        // Incidents stay until the operator clears them.
        data.pinned = model.live.pinned
        if let last = model.lastSequence, snapshot.sequence >= last {
            // A fresh snapshot of the same instance (after a reconnection, or when this console fell
            // behind): the history goes on, with the events it has not seen, folded as changes.
            data.events = model.live.events
            data.loggedCount = model.live.loggedCount
            data.services = model.live.services
            data.overall = model.live.overall
            data.trading = model.live.trading
            data.chaosOn = model.live.chaosOn
            for event in snapshot.recentEvents where event.sequence > last { apply(event, to: &data) }
        } else {
            for event in snapshot.recentEvents { apply(event, to: &data) }
        }

        data.services = snapshot.services.map(ConsoleModel.ServiceRow.init)
        data.overall = snapshot.overall
        data.trading = snapshot.trading
        var prices: [String: Decimal] = [:]
        for quote in snapshot.quotes {
            prices[quote.symbol.rawValue] = quote.bid > 0 && quote.ask > 0 ? quote.mid : quote.bid
        }
        data.positions = snapshot.positions.sorted { $0.symbol.rawValue < $1.symbol.rawValue }
            .map { ConsoleModel.PositionRow($0, last: prices[$0.symbol.rawValue]) }
        data.rejections = rejectionRows(snapshot)
        data.chaosOn = Set(snapshot.chaosOn)
        data.account = snapshot.account
        data.vitals = snapshot.vitals.map(VitalsRow.init) ?? model.live.vitals
        data.equityHistory = model.live.equityHistory
        if data.equityHistory.isEmpty, let account = snapshot.account { data.equityHistory.append(account.equity) }
        data.clock = [model.live.clock, data.clock, snapshot.takenAt].compactMap { $0 }.max()
        model.live = data
        model.lastSequence = snapshot.sequence
    }

    /// The snapshot's rejections, each with the time of its event when the recent events hold it (else
    /// the snapshot's time).
    private static func rejectionRows(_ snapshot: ControlSnapshot) -> [ConsoleModel.RejectionRow] {
        var seen: [(rejection: GuardRejection, time: Timestamp)] = []
        for event in snapshot.recentEvents.reversed() {
            if case .guardRejected(let rejection) = event.kind { seen.append((rejection, event.timestamp)) }
        }
        return snapshot.rejections.prefix(ConsoleModel.rejectionLimit).map { rejection in
            if let index = seen.firstIndex(where: { $0.rejection == rejection }) {
                return ConsoleModel.RejectionRow(rejection, at: seen.remove(at: index).time)
            }
            return ConsoleModel.RejectionRow(rejection, at: snapshot.takenAt)
        }
    }
}
