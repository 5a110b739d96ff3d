import Foundation

/// An exact decimal number with 9 fractional digits, held as an `Int128` count of billionths.
///
/// Foundation's `Decimal` costs hundreds of nanoseconds per multiplication on Linux (a microsecond per
/// division), too slow for a guard that must answer in a few microseconds. The guard converts its inputs
/// to this type once and compares exact integers; products are `WideDecimal`s (18 fractional digits),
/// so nothing is ever rounded in a comparison. It is never used for storage or on the wire.
struct FixedDecimal: Hashable, Comparable, Sendable {
    static let fractionDigits = 9
    static let scale: Int128 = 1_000_000_000
    /// Values stay below 10^20 in magnitude; products are checked for overflow.
    static let maxUnits: Int128 = 100_000_000_000_000_000_000 * scale

    var units: Int128

    init(units: Int128) {
        self.units = units
    }

    init(_ integer: Int) {
        self.units = Int128(integer) * Self.scale
    }

    static let zero = FixedDecimal(units: 0)

    /// How a value with more than 9 fractional digits is brought to 9.
    enum Rounding {
        /// Refuse it (nil).
        case exact
        /// Towards zero: for amounts that allow something (equity, buying power, caps).
        case towardZero
        /// Away from zero: for amounts that use something up (market values, exposure).
        case awayFromZero
    }

    /// The value of `decimal`, or nil if it is not finite, too large, or (with `.exact`) has more than
    /// 9 fractional digits.
    init?(_ decimal: Decimal, rounding: Rounding = .exact) {
        guard decimal.isFinite else { return nil }
        if decimal.isZero {
            self.init(units: 0)
            return
        }
        // Fast path: a small significand and exponent, as money and quantities from the wire have.
        let exponent = decimal.exponent
        if (-Self.fractionDigits...10).contains(exponent) {
            let significand = decimal.significand.magnitude
            if significand < Self.fastSignificandLimit {
                let mantissa = Int128(NSDecimalNumber(decimal: significand).int64Value)
                var units = mantissa * Self.powerOfTen(exponent + Self.fractionDigits)
                guard units < Self.maxUnits else { return nil }
                if decimal.sign == .minus { units = -units }
                self.init(units: units)
                return
            }
        }
        self.init(parsing: decimal.description, rounding: rounding)
    }

    private static let fastSignificandLimit = Decimal(1_000_000_000_000_000_000 as Int64)

    /// Parses a plain decimal literal (`-123.456`), as `Decimal.description` writes it.
    init?(parsing text: String, rounding: Rounding) {
        var bytes = Substring(text).utf8[...]
        let negative = bytes.first == UInt8(ascii: "-")
        if negative { bytes = bytes.dropFirst() }
        var units: Int128 = 0
        var fractionDigits = 0
        var seenPoint = false
        var inexact = false
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard !seenPoint else { return nil }
                seenPoint = true
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            digits += 1
            if seenPoint {
                if fractionDigits == Self.fractionDigits {
                    if byte != UInt8(ascii: "0") { inexact = true }
                    continue
                }
                fractionDigits += 1
            }
            units = units * 10 + Int128(byte - UInt8(ascii: "0"))
            guard units < Self.maxUnits else { return nil }
        }
        guard digits > 0 else { return nil }
        units *= Self.powerOfTen(Self.fractionDigits - fractionDigits)
        guard units < Self.maxUnits else { return nil }
        if inexact {
            switch rounding {
            case .exact: return nil
            case .towardZero: break
            case .awayFromZero: units += 1
            }
        }
        self.init(units: negative ? -units : units)
    }

    static func powerOfTen(_ exponent: Int) -> Int128 {
        var result: Int128 = 1
        for _ in 0..<exponent { result *= 10 }
        return result
    }

    var magnitude: FixedDecimal { FixedDecimal(units: units < 0 ? -units : units) }
    var isPositive: Bool { units > 0 }
    var isNegative: Bool { units < 0 }

    /// For messages: the exact value as a `Decimal`.
    var decimal: Decimal { Self.decimal(units: units, fractionDigits: Self.fractionDigits) }

    static func decimal(units: Int128, fractionDigits: Int) -> Decimal {
        var value = Decimal(string: String(units.magnitude))!
        var scaled = Decimal()
        _ = NSDecimalMultiplyByPowerOf10(&scaled, &value, Int16(-fractionDigits), .plain)
        return units < 0 ? -scaled : scaled
    }

    static func + (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal { FixedDecimal(units: lhs.units + rhs.units) }
    static func - (lhs: FixedDecimal, rhs: FixedDecimal) -> FixedDecimal { FixedDecimal(units: lhs.units - rhs.units) }
    static prefix func - (value: FixedDecimal) -> FixedDecimal { FixedDecimal(units: -value.units) }
    static func < (lhs: FixedDecimal, rhs: FixedDecimal) -> Bool { lhs.units < rhs.units }

    /// The exact product, or nil if it does not fit.
    static func * (lhs: FixedDecimal, rhs: FixedDecimal) -> WideDecimal? {
        let (product, overflow) = lhs.units.multipliedReportingOverflow(by: rhs.units)
        return overflow ? nil : WideDecimal(units: product)
    }
}

/// An exact decimal with 18 fractional digits: the product of two `FixedDecimal`s.
struct WideDecimal: Hashable, Comparable, Sendable {
    var units: Int128

    init(units: Int128) {
        self.units = units
    }

    init(_ value: FixedDecimal) {
        self.units = value.units * FixedDecimal.scale
    }

    var magnitude: WideDecimal { WideDecimal(units: units < 0 ? -units : units) }
    var decimal: Decimal { FixedDecimal.decimal(units: units, fractionDigits: 2 * FixedDecimal.fractionDigits) }

    static func + (lhs: WideDecimal, rhs: WideDecimal) -> WideDecimal { WideDecimal(units: lhs.units + rhs.units) }
    static func - (lhs: WideDecimal, rhs: WideDecimal) -> WideDecimal { WideDecimal(units: lhs.units - rhs.units) }
    static func < (lhs: WideDecimal, rhs: WideDecimal) -> Bool { lhs.units < rhs.units }
}

// Wording without `Decimal` arithmetic, so a rejection costs little more than an approval.
extension FixedDecimal {
    /// Rounded half away from zero to `decimals` places (at most 9), e.g. `2001.00`.
    func text(decimals: Int) -> String {
        Self.text(units: units, fractionDigits: Self.fractionDigits, decimals: decimals)
    }

    static func text(units: Int128, fractionDigits: Int, decimals: Int) -> String {
        let divisor = powerOfTen(fractionDigits - decimals)
        let magnitude = units < 0 ? -units : units
        let rounded = (magnitude + divisor / 2) / divisor
        let unit = powerOfTen(decimals)
        var text = units < 0 && rounded != 0 ? "-" : ""
        text += String(rounded / unit)
        if decimals > 0 {
            let fraction = String(rounded % unit)
            text += "." + String(repeating: "0", count: decimals - fraction.count) + fraction
        }
        return text
    }

    var money: String { text(decimals: 2) + " USD" }

    /// This fraction as a percentage with 2 decimals: 0.3001 → `30.01%`.
    var percent: String { Self.text(units: units * 100, fractionDigits: Self.fractionDigits, decimals: 2) + "%" }

    /// `numerator / denominator` as a fraction with 9 decimals (rounded down), or nil for a zero denominator.
    static func ratio(_ numerator: WideDecimal, _ denominator: FixedDecimal) -> FixedDecimal? {
        guard denominator.units != 0 else { return nil }
        // numerator has 18 decimals, denominator 9: the quotient has 9.
        return FixedDecimal(units: numerator.units / denominator.units)
    }
}

extension WideDecimal {
    var money: String { FixedDecimal.text(units: units, fractionDigits: 2 * FixedDecimal.fractionDigits, decimals: 2) + " USD" }
}
