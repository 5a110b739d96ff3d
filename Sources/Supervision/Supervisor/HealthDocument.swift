import Primitives
/// The content of `state/health.json` (and of `GET /api/system/health`): the overall status and reason,
/// the trading state, and every service, written by hand so the format is stable and documented.
public struct HealthDocument: Hashable, Sendable {
    public static let schemaVersion = 1

    public var overall: OverallHealth
    public var trading: TradingState?
    public var services: [ServiceHealth]
    public var updatedAt: Timestamp

    public init(overall: OverallHealth, trading: TradingState?, services: [ServiceHealth], updatedAt: Timestamp) {
        self.overall = overall
        self.trading = trading
        self.services = services
        self.updatedAt = updatedAt
    }

    /// The JSON text, one key per line at the top level, keys in a fixed order.
    public var json: String {
        var text = "{\n  \"schema_version\": \(Self.schemaVersion),\n"
        text += "  \"status\": \"\(overall.status.rawValue)\",\n"
        text += "  \"reason\": " + Self.optional(overall.reason?.rawValue) + ",\n"
        text += "  \"updated_at\": \"\(updatedAt.rfc3339)\",\n"
        if let trading {
            text += "  \"trading\": {\"mode\": \"\(trading.mode.rawValue)\", \"reason\": " + Self.optional(trading.reason)
            text += ", \"actor\": \"\(trading.actor.rawValue)\", \"since\": \"\(trading.since.rfc3339)\"},\n"
        } else {
            text += "  \"trading\": null,\n"
        }
        text += "  \"services\": ["
        for (index, service) in services.enumerated() {
            text += index == 0 ? "\n    {" : ",\n    {"
            text += "\"name\": "
            JSON.appendString(service.name.rawValue, to: &text)
            text += ", \"critical\": \(service.isCritical), \"status\": \"\(service.status.rawValue)\""
            text += ", \"reason\": " + Self.optional(service.reason?.rawValue)
            text += ", \"detail\": " + Self.optional(service.detail)
            text += ", \"restarts\": \(service.restarts)"
            text += ", \"last_error\": " + Self.optional(service.lastError)
            text += ", \"last_error_code\": " + Self.optional(service.lastErrorCode)
            text += ", \"since\": \"\(service.since.rfc3339)\""
            if let restart = service.lastRestart {
                text += ", \"last_restart\": {\"at\": \"\(restart.at.rfc3339)\", \"reason\": " + Self.optional(restart.reason) + "}}"
            } else {
                text += ", \"last_restart\": null}"
            }
        }
        text += services.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return text
    }

    private static func optional(_ value: String?) -> String {
        guard let value else { return "null" }
        var text = ""
        JSON.appendString(value, to: &text)
        return text
    }
}
