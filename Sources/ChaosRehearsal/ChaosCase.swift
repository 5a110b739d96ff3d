import Primitives

/// What `bulwark chaos-test` rehearses: each chaos mode, and the faults that are not a mode one switches
/// on (they come from outside the process, or need trades first).
package enum ChaosCase: Hashable, Sendable {
    case mode(ChaosMode)
    /// Trades first, then the state file is corrupted: no signal acted on twice, every cooldown kept.
    case stateCorruptAfterTrades
    /// Another listener holds `DASHBOARD_PORT` before the core starts.
    case dashboardPortTaken

    /// Every mode, then the other faults.
    package static let all: [ChaosCase] = ChaosMode.allCases.map(ChaosCase.mode) + [.stateCorruptAfterTrades, .dashboardPortTaken]

    /// The name on the command line and in the table.
    package var name: String {
        switch self {
        case .mode(let mode): mode.rawValue
        case .stateCorruptAfterTrades: "state_corrupt_after_trades"
        case .dashboardPortTaken: "dashboard_port_taken"
        }
    }

    package init?(name: String) {
        guard let found = Self.all.first(where: { $0.name == name }) else { return nil }
        self = found
    }
}
