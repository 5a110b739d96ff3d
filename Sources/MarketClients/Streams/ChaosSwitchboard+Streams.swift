import Primitives
import TradingModel

extension ChaosSwitchboard {
    /// The chaos mode that cuts Alpaca's streams off, if one is on: `stream_drop`, or `alpaca_down` (the
    /// broker is down, and its streams with it, so the engine falls back to REST and meets the outage there).
    var streamCut: ChaosMode? {
        if isOn(.streamDrop) { return .streamDrop }
        if isOn(.alpacaDown) { return .alpacaDown }
        return nil
    }
}
