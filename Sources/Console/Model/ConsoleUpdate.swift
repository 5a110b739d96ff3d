import Foundation
import Logging
import Primitives
import TradingModel

/// The console's pure update functions: a model and an input in, a new model (and, for keys, the effects
/// to perform) out. Nothing here reads a clock, blocks or touches the terminal.
public enum ConsoleUpdate {
    /// Folds one bus event into the model. Data always changes in `live`, also while frozen.
    public static func update(_ model: ConsoleModel, event: Event) -> ConsoleModel {
        following(model) { model in foldKeepingPlace(&model) { apply(event, to: &$0) } }
    }

    /// Moves the clock (the wiring ticks once a second so the header clock runs without events).
    public static func update(_ model: ConsoleModel, tick time: Timestamp) -> ConsoleModel {
        var model = model
        advanceClock(&model.live, to: time)
        if let expiry = model.notice?.expiresAt, expiry <= time { model.notice = nil }
        return model
    }

    /// Records how many events the console's subscription has lost so far.
    public static func update(_ model: ConsoleModel, droppedEvents: UInt64) -> ConsoleModel {
        var model = model
        model.droppedEvents = droppedEvents
        return model
    }

    private static func advanceClock(_ data: inout ConsoleModel.Snapshot, to time: Timestamp) {
        if let clock = data.clock, clock >= time { return }
        data.clock = time
    }

    static func apply(_ event: Event, to data: inout ConsoleModel.Snapshot) {
        let time = event.timestamp
        advanceClock(&data, to: time)
        switch event.kind {
        case .serviceStatus(let health):
            let row = ConsoleModel.ServiceRow(health)
            if let index = data.services.firstIndex(where: { $0.name == row.name }) {
                let before = data.services[index]
                data.services[index] = row
                let restarted = row.restarts > before.restarts
                if before.status != row.status || restarted {
                    let text = EventText.service(row) + (restarted ? " (restart \(row.restarts))" : "")
                    let incident = restarted || isIncident(before.status) || isIncident(row.status)
                    data.log(level(for: row.status), text, at: time, pinned: incident)
                }
            } else {
                data.services.append(row)
                if row.status != .ok { data.log(level(for: row.status), EventText.service(row), at: time, pinned: isIncident(row.status)) }
            }
        case .overallHealth(let health):
            if data.overall != health, data.overall != nil || health.status != .ok {
                let incident = isIncident(health.status) || data.overall.map { isIncident($0.status) } == true
                data.log(level(for: health.status), EventText.overall(health), at: time, pinned: incident)
            }
            data.overall = health
        case .tradingState(let state):
            if data.trading?.mode != state.mode || data.trading?.reason != state.reason {
                data.log(state.mode == .active ? .info : .warning, EventText.trading(state), at: time, pinned: true)
            }
            data.trading = state
        case .orderIntent:
            break
        case .orderSubmitted(let submission):
            data.log(.info, EventText.submitted(submission), at: time)
        case .orderFilled(let fill):
            data.log(.info, EventText.filled(fill), at: time)
        case .orderRejected(let rejection):
            data.log(.error, EventText.brokerRejected(rejection), at: time)
        case .guardRejected(let rejection):
            data.rejections.insert(ConsoleModel.RejectionRow(rejection, at: time), at: 0)
            if data.rejections.count > ConsoleModel.rejectionLimit {
                data.rejections.removeLast(data.rejections.count - ConsoleModel.rejectionLimit)
            }
            data.log(.warning, EventText.guardRejected(rejection), at: time)
        case .positionOpened(let position), .positionChanged(let position):
            let (index, found) = data.positionIndex(of: position.symbol.rawValue)
            if found {
                data.positions[index] = ConsoleModel.PositionRow(position, last: data.positions[index].last)
            } else {
                data.positions.insert(ConsoleModel.PositionRow(position), at: index)
            }
        case .positionClosed(let close):
            let (index, found) = data.positionIndex(of: close.symbol.rawValue)
            if found { data.positions.remove(at: index) }
            data.log(.info, EventText.closed(close), at: time)
        case .account(let account):
            data.account = account
            data.equityHistory.append(account.equity)
        case .chaosMode(let mode, let enabled):
            let changed = enabled ? data.chaosOn.insert(mode).inserted : data.chaosOn.remove(mode) != nil
            if changed { data.log(enabled ? .warning : .info, EventText.chaos(mode, on: enabled), at: time, pinned: true) }
        case .stateHealed(let healing):
            data.log(.warning, EventText.healed(healing), at: time)
        case .reconciliation(let report):
            data.log(report.outcome == .failed ? .error : .info, EventText.reconciliation(report), at: time)
        case .apiError(let failure):
            data.log(failure.willRetry ? .warning : .error, EventText.apiError(failure), at: time)
        case .apiRecovered(let recovery):
            data.log(.info, EventText.apiRecovered(recovery), at: time)
        case .log(let line):
            let level: ConsoleModel.EventLine.Level =
                switch line.level {
                case .trace, .debug, .info, .notice: .info
                case .warning: .warning
                case .error, .critical: .error
                }
            data.log(level, EventText.log(line), at: time)
        case .startup(let progress):
            let level: ConsoleModel.EventLine.Level = switch progress.outcome {
            case .failed: .error
            case .failedTransient: .warning
            case .started, .succeeded: .info
            }
            data.log(level, EventText.startup(progress), at: time)
        case .quotes(let quotes):
            for quote in quotes {
                let (index, found) = data.positionIndex(of: quote.symbol.rawValue)
                guard found else { continue }
                let price = quote.bid > 0 && quote.ask > 0 ? quote.mid : quote.bid
                data.positions[index].setLast(price)
            }
        case .commandResult(let result):
            // One line per action: the trading state or chaos event that follows an accepted command says it.
            if EventText.isRestatedElsewhere(result) { break }
            data.log(result.accepted ? .info : .error, EventText.command(result), at: time)
        case .vitals(let vitals):
            data.vitals = VitalsRow(vitals)
        }
    }

    /// FAILED and DEGRADED: a change into or out of them is pinned.
    private static func isIncident(_ status: HealthStatus) -> Bool {
        status == .failed || status == .degraded
    }

    private static func level(for status: HealthStatus) -> ConsoleModel.EventLine.Level {
        switch status {
        case .ok, .starting, .stopped: .info
        case .degraded: .warning
        case .failed: .error
        }
    }
}
