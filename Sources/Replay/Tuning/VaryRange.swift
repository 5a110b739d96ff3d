import Foundation
import Primitives

/// One `--vary NAME=FROM:TO:STEP` of `bulwark tune`: a configuration variable and the values it takes,
/// FROM, FROM + STEP, … up to TO (inclusive).
public struct VaryRange: Sendable, Hashable {
    public var name: String
    public var values: [Decimal]

    /// The variables a tune may vary: the guard's limits and the strategy's settings.
    public static let tunableNames: [String] = [
        "MAX_POSITION_SIZE_USD", "MAX_NOTIONAL_PER_ORDER", "MAX_PORTFOLIO_EXPOSURE_PCT", "MAX_CONCENTRATION_PER_SYMBOL_PCT",
        "MAX_PRICE_DEVIATION_PCT", "MIN_COOLDOWN_MINUTES", "QUOTE_MAX_AGE_SECONDS", "MAX_SIGNAL_AGE_SECONDS", "MIN_FLOW_PREMIUM_USD",
        "MIN_ASK_SIDE_SHARE", "ORDER_NOTIONAL_USD", "ENTRY_SLIPPAGE_PCT", "TAKE_PROFIT_PCT", "STOP_LOSS_PCT", "MAX_HOLD_MINUTES",
    ]

    /// Most values one range may give, and combinations one tune may run.
    public static let maximumValues = 1_000
    public static let maximumCombinations = 10_000

    public init(name: String, values: [Decimal]) {
        self.name = name
        self.values = values
    }

    /// Reads `NAME=FROM:TO:STEP`; a usage error names what is wrong.
    public init(parsing spec: String) throws(TuneError) {
        let shown = String(spec.prefix(60))
        guard let equals = spec.firstIndex(of: "=") else { throw TuneError("--vary \(shown): expected NAME=FROM:TO:STEP") }
        let name = String(spec[..<equals])
        guard Self.tunableNames.contains(name) else {
            throw TuneError("--vary \(shown): \(name.prefix(40)) is not a variable a tune can vary (one of \(Self.tunableNames.joined(separator: ", ")))")
        }
        let parts = spec[spec.index(after: equals)...].split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw TuneError("--vary \(shown): expected NAME=FROM:TO:STEP, three numbers") }
        let numbers = parts.map { Decimal(string: String($0), locale: Locale(identifier: "en_US_POSIX")) }
        guard let from = numbers[0], let to = numbers[1], let step = numbers[2], parts.allSatisfy({ !$0.isEmpty }) else {
            throw TuneError("--vary \(shown): FROM, TO and STEP must be decimal numbers")
        }
        guard step > 0 else { throw TuneError("--vary \(shown): STEP must be more than 0") }
        guard from <= to else { throw TuneError("--vary \(shown): the range is empty (FROM is above TO)") }
        var values: [Decimal] = []
        var value = from
        while value <= to {
            values.append(value)
            guard values.count <= Self.maximumValues else {
                throw TuneError("--vary \(shown): more than \(Self.maximumValues) values; use a larger STEP")
            }
            value += step
        }
        self.init(name: name, values: values)
    }

    /// Every combination of the ranges' values, the first range varying slowest; each a variable → value map.
    public static func combinations(_ ranges: [VaryRange]) throws(TuneError) -> [[String: String]] {
        let names = ranges.map(\.name)
        guard Set(names).count == names.count else { throw TuneError("--vary names a variable twice") }
        let total = ranges.reduce(1) { $0 * $1.values.count }
        guard total <= maximumCombinations else {
            throw TuneError("the --vary ranges make \(total) combinations; at most \(maximumCombinations) are run")
        }
        var combinations: [[String: String]] = [[:]]
        for range in ranges {
            combinations = combinations.flatMap { partial in
                range.values.map { value in
                    var next = partial
                    next[range.name] = RecordingFormat.plain(value)
                    return next
                }
            }
        }
        return combinations
    }
}

/// A `bulwark tune` request that cannot be run as asked: a usage error (exit 64).
public struct TuneError: OperatorError, Equatable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var errorCode: String { "tune.usage" }
    public var description: String { message }
    /// EX_USAGE.
    public static let exitCode: Int32 = 64
}
