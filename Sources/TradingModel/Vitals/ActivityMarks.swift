import Primitives
import Synchronization

/// When things last happened that no event reports (a fresh flow alert): the parts that see them mark
/// them here, the vital signs read them. Shared across core generations.
public final class ActivityMarks: Sendable {
    public enum Activity: Hashable, Sendable {
        case flowAlert
    }

    private let marks = Mutex<[Activity: Timestamp]>([:])

    public init() {}

    public func mark(_ activity: Activity, at time: Timestamp) {
        marks.withLock { $0[activity] = max($0[activity] ?? time, time) }
    }

    public func last(_ activity: Activity) -> Timestamp? {
        marks.withLock { $0[activity] }
    }
}
