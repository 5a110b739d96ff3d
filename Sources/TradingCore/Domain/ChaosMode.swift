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
}
