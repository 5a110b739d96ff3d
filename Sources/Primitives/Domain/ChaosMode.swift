/// Failure rehearsals. They act on the client side and are refused against a live account.
public enum ChaosMode: String, Hashable, Sendable, Codable, CaseIterable {
    case alpacaDown = "alpaca_down"
    case invalidCreds = "invalid_creds"
    case supervisorCrash = "supervisor_crash"
    case stateCorrupt = "state_corrupt"
    case uwDown = "uw_down"
    case rateLimit = "rate_limit"
    case latency = "latency"
    case schemaDrift = "schema_drift"
    /// Every free file descriptor is taken and held for a while (`DescriptorHog`); it switches itself off.
    case fdExhaustion = "fd_exhaustion"
    /// Both streams are cut off and not made again while the mode is on: orders are followed and quotes polled over REST.
    case streamDrop = "stream_drop"

    /// The modes with a number key (1–8) and a row in the console's Chaos pane; the others are set with
    /// `CHAOS_MODE` or `bulwark ctl chaos`.
    public static let keyed: [ChaosMode] = [
        .alpacaDown, .invalidCreds, .supervisorCrash, .stateCorrupt, .uwDown, .rateLimit, .latency, .schemaDrift,
    ]
}
