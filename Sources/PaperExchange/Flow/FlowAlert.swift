import Foundation
import Primitives

/// One Unusual Whales options-flow alert (`GET /api/option-trades/flow-alerts`), as the exchange made it.
public struct FlowAlert: Sendable, Hashable, Codable {
    /// Position in the exchange's alert sequence: 1 for the first alert it ever issued.
    public var sequence: Int
    public var id: String
    public var ruleID: String
    public var alertRule: String
    public var ticker: Symbol
    /// `call` or `put`.
    public var type: String
    public var strike: Decimal
    /// `YYYY-MM-DD`.
    public var expiry: String
    /// OCC symbol, e.g. `QQQ260320C00611000`.
    public var optionChain: String
    public var price: Decimal
    public var underlyingPrice: Decimal
    public var totalPremium: Decimal
    public var totalAskSidePremium: Decimal
    public var totalBidSidePremium: Decimal
    public var totalSize: Int
    public var tradeCount: Int
    public var volume: Int
    public var openInterest: Int
    public var volumeOIRatio: Decimal
    public var hasSweep: Bool
    public var hasFloor: Bool
    public var hasMultileg: Bool
    public var hasSingleleg: Bool
    public var allOpeningTrades: Bool
    /// Milliseconds since the epoch of the first and last trade in the alert.
    public var startTime: Int64
    public var endTime: Int64
    public var createdAt: Timestamp
    public var sector: String
    public var marketCap: Decimal?
    public var nextEarningsDate: String?
    public var earningsTime: String?
    public var ivStart: Decimal
    public var ivEnd: Decimal
    public var bid: Decimal
    public var ask: Decimal
    public var expiryCount: Int
    public var issueType: String

    enum CodingKeys: String, CodingKey {
        case sequence
        case id
        case ruleID = "rule_id"
        case alertRule = "alert_rule"
        case ticker
        case type
        case strike
        case expiry
        case optionChain = "option_chain"
        case price
        case underlyingPrice = "underlying_price"
        case totalPremium = "total_premium"
        case totalAskSidePremium = "total_ask_side_premium"
        case totalBidSidePremium = "total_bid_side_premium"
        case totalSize = "total_size"
        case tradeCount = "trade_count"
        case volume
        case openInterest = "open_interest"
        case volumeOIRatio = "volume_oi_ratio"
        case hasSweep = "has_sweep"
        case hasFloor = "has_floor"
        case hasMultileg = "has_multileg"
        case hasSingleleg = "has_singleleg"
        case allOpeningTrades = "all_opening_trades"
        case startTime = "start_time"
        case endTime = "end_time"
        case createdAt = "created_at"
        case sector
        case marketCap = "market_cap"
        case nextEarningsDate = "next_earnings_date"
        case earningsTime = "earnings_time"
        case ivStart = "iv_start"
        case ivEnd = "iv_end"
        case bid
        case ask
        case expiryCount = "expiry_count"
        case issueType = "issue_type"
    }

    public var isCall: Bool { type == "call" }

    /// The ask side's share of the premium, 0…1.
    public var askSideShare: Decimal {
        totalPremium > 0 ? totalAskSidePremium / totalPremium : 0
    }

    /// The alert in the contract's shape: money and ratios as strings, counts and epoch times as numbers.
    public var json: JSONValue {
        .object([
            "id": .string(id),
            "rule_id": .string(ruleID),
            "alert_rule": .string(alertRule),
            "ticker": .string(ticker.rawValue),
            "type": .string(type),
            "strike": .money(strike),
            "expiry": .string(expiry),
            "option_chain": .string(optionChain),
            "price": .money(price),
            "underlying_price": .money(underlyingPrice),
            "total_premium": .money(totalPremium),
            "total_ask_side_prem": .money(totalAskSidePremium),
            "total_bid_side_prem": .money(totalBidSidePremium),
            "total_size": .int(totalSize),
            "trade_count": .int(tradeCount),
            "volume": .int(volume),
            "open_interest": .int(openInterest),
            "volume_oi_ratio": .money(volumeOIRatio),
            "has_sweep": .bool(hasSweep),
            "has_floor": .bool(hasFloor),
            "has_multileg": .bool(hasMultileg),
            "has_singleleg": .bool(hasSingleleg),
            "all_opening_trades": .bool(allOpeningTrades),
            "start_time": .int(startTime),
            "end_time": .int(endTime),
            "created_at": .timestamp(createdAt),
            "sector": .string(sector),
            "marketcap": .money(marketCap),
            "next_earnings_date": .string(nextEarningsDate),
            "er_time": .string(earningsTime),
            "iv_start": .money(ivStart),
            "iv_end": .money(ivEnd),
            "bid": .money(bid),
            "ask": .money(ask),
            "expiry_count": .int(expiryCount),
            "issue_type": .string(issueType),
        ])
    }
}
