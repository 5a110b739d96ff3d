import Foundation
@testable import RiskGuard
import Testing

struct FixedDecimalTests {
    /// Decimals with up to 9 fractional digits convert exactly, on the fast and the slow path alike.
    @Test(arguments: [
        ("0", Int128(0)), ("1", 1_000_000_000), ("-1", -1_000_000_000), ("100.01", 100_010_000_000),
        ("0.000000001", 1), ("-0.5", -500_000_000), ("123456789.123456789", 123_456_789_123_456_789),
        ("99999999999999999999.5", 99_999_999_999_999_999_999_500_000_000), ("100000000000000000000", nil), ("123456789012345678901.5", nil),
    ] as [(String, Int128?)])
    func exactConversion(text: String, units: Int128?) {
        let decimal = Decimal(string: text)!
        #expect(FixedDecimal(decimal)?.units == units, "\(text)")
        if let units {
            #expect(FixedDecimal(parsing: text, rounding: .exact)?.units == units)
            #expect(FixedDecimal(units: units).decimal == decimal)
        }
    }

    /// More than 9 fractional digits: refused when exactness is asked for, rounded in the asked direction otherwise.
    @Test func rounding() {
        let third = Decimal(1) / Decimal(3)
        #expect(FixedDecimal(third) == nil)
        #expect(FixedDecimal(third, rounding: .towardZero)?.units == 333_333_333)
        #expect(FixedDecimal(third, rounding: .awayFromZero)?.units == 333_333_334)
        #expect(FixedDecimal(-third, rounding: .awayFromZero)?.units == -333_333_334)
        #expect(FixedDecimal(Decimal(string: "1.0000000001")!, rounding: .towardZero)?.units == 1_000_000_000)
    }

    /// NaN is never converted.
    @Test func notANumber() {
        #expect(FixedDecimal(Decimal.nan, rounding: .towardZero) == nil)
    }

    /// Products are exact with 18 decimals, and an overflowing product is reported, not wrapped.
    @Test func products() throws {
        let a = try #require(FixedDecimal(Decimal(string: "0.000000001")!))
        let b = try #require(FixedDecimal(Decimal(string: "0.000000003")!))
        #expect((a * b)?.units == 3)
        let big = FixedDecimal(units: FixedDecimal.maxUnits)
        #expect(big * big == nil)
        let price = try #require(FixedDecimal(Decimal(string: "100.01")!))
        let quantity = try #require(FixedDecimal(Decimal(20)))
        #expect((quantity * price)?.money == "2000.20 USD")
    }

    /// Wording rounds half away from zero with fixed decimals.
    @Test func text() {
        #expect(FixedDecimal(units: 1_234_567_890).text(decimals: 2) == "1.23")
        #expect(FixedDecimal(units: 1_235_000_000).text(decimals: 2) == "1.24")
        #expect(FixedDecimal(units: -1_235_000_000).text(decimals: 2) == "-1.24")
        #expect(FixedDecimal(units: -1_000_000).text(decimals: 2) == "0.00")
        #expect(FixedDecimal(units: 5).text(decimals: 9) == "0.000000005")
        #expect(FixedDecimal(units: 300_100_000).percent == "30.01%")
        #expect(FixedDecimal(7).text(decimals: 0) == "7")
    }

    /// Ratios of a wide value to a fixed one, for percentages in rejections.
    @Test func ratio() {
        let value = WideDecimal(FixedDecimal(3001))
        #expect(FixedDecimal.ratio(value, FixedDecimal(10_000))?.percent == "30.01%")
        #expect(FixedDecimal.ratio(value, .zero) == nil)
    }
}
