import Foundation

/// The equity readings the sparkline draws, oldest first, at most `limit`. Each is kept as it came and in
/// whole cents: drawing compares every point of every frame, and integer comparisons cost nothing where
/// `Decimal` ones took half of a 200×60 frame's build. Money stays `Decimal`; the cents only place a
/// point on one of eight levels.
public struct EquityHistory: Hashable, Sendable {
    public private(set) var values: [Decimal] = []
    /// `values` in whole cents (rounded half away from zero).
    public private(set) var cents: [Int64] = []
    public let limit: Int

    public init(limit: Int) {
        precondition(limit > 0, "an equity history holds at least one reading")
        self.limit = limit
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }
    public var last: Decimal? { values.last }

    public mutating func append(_ equity: Decimal) {
        values.append(equity)
        cents.append(Self.cents(equity))
        if values.count > limit {
            values.removeFirst(values.count - limit)
            cents.removeFirst(cents.count - limit)
        }
    }

    static func cents(_ value: Decimal) -> Int64 {
        var scaled = value * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &scaled, 0, .plain)
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}
