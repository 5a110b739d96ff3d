import ControlPlane
import Foundation
import Primitives
import Testing
import TradingModel

/// The vital signs on the wire: what `bulwark attach` receives is what the core published.
struct VitalsProtocolTests {
    private static let time = Timestamp.seconds(1_780_000_000)

    static let vitals = VitalSigns(
        equity: Decimal(string: "100000.01")!, cash: Decimal(string: "0.10")!, buyingPower: 5, realizedToday: Decimal(string: "-1.25")!,
        realizedTotal: Decimal(string: "12.345")!, unrealized: Decimal(string: "0.005")!, exposure: 300, exposureLimit: Decimal(string: "0.30")!,
        lastFlowAlert: time, lastPoll: time.advanced(by: .milliseconds(250)), lastQuote: nil, heartbeat: time, lastReconciliation: time,
        apis: [APIVitals(api: "alpaca", calls: 3, errors: 1, p50: .microseconds(420), p99: .milliseconds(2), lastSuccess: time), APIVitals(api: "unusual-whales")],
        openOrders: [
            OpenOrder(clientOrderID: "bw-1", symbol: Symbol("BRK.B")!, side: .sell, quantity: Decimal(string: "0.5")!, limitPrice: Decimal(string: "412.07")!, status: .partiallyFilled, submittedAt: time),
            OpenOrder(clientOrderID: "bw-2", symbol: Symbol("AAPL")!, side: .buy, quantity: 1, limitPrice: nil, status: .pending, submittedAt: time),
        ])

    /// A `.vitals` event and a snapshot holding vital signs come back equal after a round trip, money exact.
    @Test func vitalsRoundTrip() throws {
        let event = ControlProtocol.Message.event(Event(sequence: 8, timestamp: Self.time, kind: .vitals(Self.vitals)))
        let snapshot = ControlProtocol.Message.snapshot(ControlSnapshot(takenAt: Self.time, broker: "SIM", chaosLocked: false, vitals: Self.vitals))
        for message in [event, snapshot] {
            let line = ControlProtocol.encode(message)
            #expect(try ControlProtocol.decode(line.dropLast()) == message)
        }
    }

    /// A snapshot from an instance that knows no vital signs (no `vitals` key) still decodes, without them.
    @Test func snapshotWithoutVitalsDecodes() throws {
        let line = ControlProtocol.encode(.snapshot(ControlSnapshot(takenAt: Self.time, broker: "SIM", chaosLocked: false)))
        let text = String(decoding: line, as: UTF8.self)
        #expect(!text.contains("vitals"))
        guard case .snapshot(let snapshot) = try ControlProtocol.decode(line.dropLast()) else {
            Issue.record("not a snapshot")
            return
        }
        #expect(snapshot.vitals == nil)
    }
}
