/// The admin route's form of a fault: `{"route":"POST /v2/orders","fault":"status","status":503,"count":2}`.
///
/// `fault` is one of `status` (with `status`), `rate_limited` (with optional `reset_seconds`, default 5),
/// `delay` (with `milliseconds`), `reset_before`, `reset_after`, `malformed_body`, `missing_field` (with
/// optional `field`). `route` defaults to `*`, `count` to 1.
extension Fault {
    public init(json: JSONValue) throws(ExchangeError) {
        guard case .object(let body) = json else { throw .badRequest("a fault is a JSON object") }
        let route = body["route"]?.stringValue ?? "*"
        let count = body["count"]?.intValue ?? 1
        guard (1...10_000).contains(count) else { throw .invalid("count must be 1–10000") }
        guard let name = body["fault"]?.stringValue else { throw .invalid("fault is required") }
        let kind: Kind
        switch name {
        case "status":
            guard let status = body["status"]?.intValue, (400...599).contains(status) else {
                throw .invalid("status must be an HTTP error status (400–599)")
            }
            kind = .status(status)
        case "rate_limited":
            let seconds = body["reset_seconds"]?.intValue ?? 5
            guard (0...3_600).contains(seconds) else { throw .invalid("reset_seconds must be 0–3600") }
            kind = .rateLimited(resetAfterSeconds: seconds)
        case "delay":
            guard let milliseconds = body["milliseconds"]?.intValue, (0...120_000).contains(milliseconds) else {
                throw .invalid("milliseconds must be 0–120000")
            }
            kind = .delay(.milliseconds(milliseconds))
        case "reset_before": kind = .resetBeforeHandling
        case "reset_after": kind = .resetAfterHandling
        case "malformed_body": kind = .malformedBody
        case "missing_field": kind = .missingField(body["field"]?.stringValue)
        default: throw .invalid("unknown fault \(name)")
        }
        self.init(route: route, kind: kind, count: count)
    }

    public var json: JSONValue {
        var object: JSONObject = ["route": .string(route), "count": .int(count)]
        switch kind {
        case .status(let status):
            object["fault"] = .string("status")
            object["status"] = .int(status)
        case .rateLimited(let seconds):
            object["fault"] = .string("rate_limited")
            object["reset_seconds"] = .int(seconds)
        case .delay(let duration):
            object["fault"] = .string("delay")
            object["milliseconds"] = .int(ExchangeBook.milliseconds(duration))
        case .resetBeforeHandling: object["fault"] = .string("reset_before")
        case .resetAfterHandling: object["fault"] = .string("reset_after")
        case .malformedBody: object["fault"] = .string("malformed_body")
        case .missingField(let field):
            object["fault"] = .string("missing_field")
            object["field"] = .string(field)
        }
        return .object(object)
    }
}
