import Primitives
import TradingModel

extension ChaosSwitchboard {
    /// The chaos mode that cuts Alpaca's streams off, if one is on: `stream_drop`; `alpaca_down` (the broker
    /// is down, and its streams with it); `invalid_creds` (the broker ends the sessions of credentials it no
    /// longer accepts). Cut off, the engine falls back to REST and meets the outage or the refusal there at
    /// its next tick, instead of at the next once-a-minute account read.
    var streamCut: ChaosMode? {
        if isOn(.streamDrop) { return .streamDrop }
        if isOn(.alpacaDown) { return .alpacaDown }
        if isOn(.invalidCreds) { return .invalidCreds }
        return nil
    }
}
