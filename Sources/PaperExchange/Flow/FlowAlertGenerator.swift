import Foundation
import Primitives

/// Makes realistic options-flow alerts from a seed: calls and puts near the money, premiums from a few
/// thousand dollars to several million, an ask/bid-side split, sweeps and floor trades. About one alert in
/// five clears a typical entry bar (a call, total premium ≥ $100,000, ask side ≥ 60%).
///
/// All arithmetic is in integer cents and basis points; the alert is a pure function of its inputs.
enum FlowAlertGenerator {
    private static let rules = [
        "RepeatedHits", "RepeatedHitsAscendingFill", "RepeatedHitsDescendingFill", "FloorTradeLargeCap",
        "SweepsFollowedByFloor", "OtmEarningsFloor", "LowHistoricVolumeFloor",
    ]
    private static let sizes = [10, 25, 50, 80, 120, 200, 300, 450, 700, 1_000, 1_500, 2_500, 4_000]

    /// Whether step `step` of the exchange seeded `seed` produces an alert, at `partsPerMillion` odds.
    static func firesAt(seed: UInt64, step: UInt64, partsPerMillion: UInt64) -> Bool {
        Mixing.hash(seed, 0xF10A_1E27, step) % 1_000_000 < partsPerMillion
    }

    /// The alert made at `step`, numbered `sequence`, during the interval that ended at `stepMilliseconds`.
    static func alert(
        seed: UInt64, step: UInt64, sequence: Int, stepMilliseconds: Int64, intervalMilliseconds: Int64, market: Market
    ) -> FlowAlert? {
        guard !market.tickers.isEmpty else { return nil }
        var random = Mixing.generator(seed, 0xA1E7, step)
        let ticker = market.tickers.randomElement(using: &random)!
        let listing = ticker.listing
        let createdMilliseconds = stepMilliseconds - Int64.random(in: 0..<max(1, intervalMilliseconds), using: &random)
        let createdAt = Timestamp.milliseconds(createdMilliseconds)
        let spotCents = ticker.walk.cents
        let isCall = Int.random(in: 0..<100, using: &random) < 60

        // Strike: calls mostly out of the money above, puts below.
        let moneynessBasisPoints = Int64.random(in: -300...800, using: &random) * (isCall ? 1 : -1)
        let incrementCents: Int64 = spotCents < 2_500 ? 50 : (listing.isFund || spotCents < 20_000 ? 100 : 500)
        let rawStrike = spotCents + spotCents * moneynessBasisPoints / 10_000
        let strikeCents = max(incrementCents, (rawStrike + incrementCents / 2) / incrementCents * incrementCents)

        // Expiry: a Friday 0–7 weeks out.
        let day = createdMilliseconds.floorDivided(by: 86_400_000)
        let weekday = (day + 3).floorModulo(7)  // 0 = Monday; 1970-01-01 was a Thursday
        let weeksOut = [0, 1, 1, 2, 2, 3, 4, 7].randomElement(using: &random)!
        let expiryDay = day + (4 - weekday + 7) % 7 + 7 * Int64(weeksOut)
        let daysToExpiry = max(1, expiryDay - day)
        let expiry = String(Timestamp.milliseconds(expiryDay * 86_400_000).rfc3339.prefix(10))

        // Price: intrinsic value plus a time value that shrinks away from the money.
        let ivBasisPoints = Int64.random(in: 1_500...6_500, using: &random)
        let sqrtYearMillis = isqrt(daysToExpiry * 1_000_000 / 365)
        let sigmaCents = max(1, spotCents * ivBasisPoints / 10_000 * sqrtYearMillis / 1_000)
        let intrinsic = max(0, isCall ? spotCents - strikeCents : strikeCents - spotCents)
        let distance = abs(spotCents - strikeCents)
        let timeValue = sigmaCents * 4 / 10 * sigmaCents / (sigmaCents + distance)
        var priceCents = max(5, intrinsic + timeValue)
        if priceCents > 300 { priceCents = (priceCents + 2) / 5 * 5 }
        let spreadCents = max(1, priceCents * Int64.random(in: 100...400, using: &random) / 10_000)

        // Size and premium: premium (dollars) = contracts × 100 × price = contracts × price in cents.
        let base = sizes.randomElement(using: &random)!
        let size = max(1, base + base * Int.random(in: -30...50, using: &random) / 100)
        let totalPremium = Int64(size) * priceCents
        let askShareBasisPoints: Int64 =
            Int.random(in: 0..<100, using: &random) < 55
            ? Int64.random(in: 6_000...9_800, using: &random) : Int64.random(in: 1_200...5_999, using: &random)
        let askSide = totalPremium * askShareBasisPoints / 10_000

        let tradeCount = Int.random(in: 1...40, using: &random)
        let hasSweep = tradeCount > 1 && Int.random(in: 0..<100, using: &random) < 35
        let hasFloor = Int.random(in: 0..<100, using: &random) < 8
        let hasMultileg = Int.random(in: 0..<100, using: &random) < 10
        let volume = size + Int.random(in: 0...(size * 40), using: &random)
        let openInterest = Int.random(in: 1...20_000, using: &random)
        let endTime = createdMilliseconds - Int64.random(in: 50...5_000, using: &random)
        let startTime = endTime - Int64.random(in: 1_000...120_000, using: &random)
        let ivEndBasisPoints = ivBasisPoints + Int64.random(in: -100...100, using: &random)
        let rule: String
        if hasFloor {
            rule = ["FloorTradeLargeCap", "SweepsFollowedByFloor", "LowHistoricVolumeFloor"].randomElement(using: &random)!
        } else {
            rule = rules.prefix(3).randomElement(using: &random)!
        }
        var earningsDate: String?
        var earningsTime: String?
        if !listing.isFund {
            let earningsDay = day + 10 + Int64(Mixing.hash(Mixing.hash(listing.symbol.rawValue), UInt64(day / 90)) % 80)
            earningsDate = String(Timestamp.milliseconds(earningsDay * 86_400_000).rfc3339.prefix(10))
            earningsTime = Mixing.hash(listing.symbol.rawValue) % 2 == 0 ? "postmarket" : "premarket"
        }
        let strike = Decimal(strikeCents) / 100
        let strikeText = String(strikeCents * 10)
        let chain =
            listing.symbol.rawValue.replacingOccurrences(of: ".", with: "")
            + expiry.replacingOccurrences(of: "-", with: "").dropFirst(2) + (isCall ? "C" : "P")
            + String(repeating: "0", count: max(0, 8 - strikeText.count)) + strikeText

        return FlowAlert(
            sequence: sequence, id: Mixing.uuid(seed, 0xA1E7, step), ruleID: Mixing.uuid(Mixing.hash("rule:" + rule)),
            alertRule: rule, ticker: listing.symbol, type: isCall ? "call" : "put", strike: strike, expiry: expiry,
            optionChain: chain, price: Decimal(priceCents) / 100, underlyingPrice: Decimal(spotCents) / 100,
            totalPremium: Decimal(totalPremium), totalAskSidePremium: Decimal(askSide),
            totalBidSidePremium: Decimal(totalPremium - askSide), totalSize: size, tradeCount: tradeCount,
            volume: volume, openInterest: openInterest,
            volumeOIRatio: (Decimal(volume) / Decimal(openInterest)).rounded(13),
            hasSweep: hasSweep, hasFloor: hasFloor, hasMultileg: hasMultileg, hasSingleleg: !hasMultileg,
            allOpeningTrades: Int.random(in: 0..<100, using: &random) < 30, startTime: startTime, endTime: endTime,
            createdAt: createdAt, sector: listing.sector, marketCap: listing.marketCap, nextEarningsDate: earningsDate,
            earningsTime: earningsTime, ivStart: Decimal(ivBasisPoints) / 10_000, ivEnd: Decimal(ivEndBasisPoints) / 10_000,
            bid: Decimal(priceCents - spreadCents) / 100, ask: Decimal(priceCents) / 100, expiryCount: 1,
            issueType: listing.issueType)
    }

    /// ⌊√n⌋ for n ≥ 0.
    static func isqrt(_ n: Int64) -> Int64 {
        guard n > 1 else { return max(0, n) }
        var x = n
        var y = (x + 1) / 2
        while y < x {
            x = y
            y = (x + n / x) / 2
        }
        return x
    }
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }

    func floorModulo(_ divisor: Int64) -> Int64 {
        let remainder = self % divisor
        return remainder < 0 ? remainder + divisor : remainder
    }
}
