import Foundation

/// A point in wall-clock time: a signed offset from the Unix epoch, with nanosecond precision.
///
/// This is the `Instant` of every clock in Bulwark, so time read from an injected clock can be stamped
/// on events, written to files and compared across restarts.
public struct Timestamp: InstantProtocol, Hashable, Sendable {
    public typealias Duration = Swift.Duration

    /// Offset from 1970-01-01T00:00:00Z.
    public var sinceEpoch: Duration

    public init(sinceEpoch: Duration) {
        self.sinceEpoch = sinceEpoch
    }

    public init(date: Date) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let nanos = ((seconds - whole) * 1_000_000_000).rounded()
        self.sinceEpoch = .seconds(Int64(whole)) + .nanoseconds(Int64(nanos))
    }

    public static func seconds(_ seconds: Int64) -> Timestamp {
        Timestamp(sinceEpoch: .seconds(seconds))
    }

    public var date: Date {
        let (seconds, attoseconds) = sinceEpoch.components
        return Date(timeIntervalSince1970: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// Whole seconds and nanoseconds since the epoch (nanoseconds always in 0..<1e9).
    public var epochComponents: (seconds: Int64, nanoseconds: Int64) {
        let (seconds, attoseconds) = sinceEpoch.components
        var nanos = attoseconds / 1_000_000_000
        var secs = seconds
        if nanos < 0 {
            nanos += 1_000_000_000
            secs -= 1
        }
        return (secs, nanos)
    }

    public func advanced(by duration: Duration) -> Timestamp {
        Timestamp(sinceEpoch: sinceEpoch + duration)
    }

    public func duration(to other: Timestamp) -> Duration {
        other.sinceEpoch - sinceEpoch
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.sinceEpoch < rhs.sinceEpoch
    }
}

extension Timestamp: CustomStringConvertible {
    public var description: String { rfc3339 }
}
