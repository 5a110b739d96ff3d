import Foundation

/// What a running instance's folder says, read from outside it: by `bulwark bench exhaustion` and by the
/// end-to-end tests that trade through a flood.
public enum InstanceFolder {
    /// Orders filled so far: the `filled` lines of `logs/orders.jsonl` (0 while there is no journal).
    public static func filledOrders(in folder: String) -> Int {
        guard let text = try? String(contentsOfFile: folder + "/logs/orders.jsonl", encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").filter { $0.contains(#""event":"filled""#) }.count
    }

    /// The overall status in `state/health.json` ("OK", "DEGRADED", …), "unreadable" or "missing".
    public static func overallHealth(in folder: String) -> String {
        guard let data = FileManager.default.contents(atPath: folder + "/state/health.json"),
            let document = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return "unreadable" }
        return document["status"] as? String ?? "missing"
    }
}
