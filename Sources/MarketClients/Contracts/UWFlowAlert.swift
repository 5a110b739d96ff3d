import Foundation
import Primitives

/// One Unusual Whales options-flow alert (`GET /api/option-trades/flow-alerts`, `data[]`): the fields a
/// strategy reads. Premiums arrive as strings and are read exactly.
public struct UWFlowAlert: Decodable, Hashable, Sendable {
    public enum OptionType: OpenEnumeration {
        case call, put
        case unknown(String)

        public init?(known raw: String) {
            switch raw {
            case "call": self = .call
            case "put": self = .put
            default: return nil
            }
        }

        public var rawValue: String {
            switch self {
            case .call: "call"
            case .put: "put"
            case .unknown(let raw): raw
            }
        }
    }

    public var id: String
    public var ticker: String
    public var type: OptionType
    public var totalPremium: Decimal
    public var totalAskSidePremium: Decimal?
    public var totalBidSidePremium: Decimal?
    public var hasSweep: Bool
    public var underlyingPrice: Decimal?
    public var createdAt: Timestamp

    enum CodingKeys: String, CodingKey {
        case id, ticker, type
        case totalPremium = "total_premium"
        case totalAskSidePremium = "total_ask_side_prem"
        case totalBidSidePremium = "total_bid_side_prem"
        case hasSweep = "has_sweep"
        case underlyingPrice = "underlying_price"
        case createdAt = "created_at"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        ticker = try container.decode(String.self, forKey: .ticker)
        type = try container.decode(OptionType.self, forKey: .type)
        totalPremium = try container.decodeMoney(.totalPremium)
        totalAskSidePremium = try container.decodeMoneyIfPresent(.totalAskSidePremium)
        totalBidSidePremium = try container.decodeMoneyIfPresent(.totalBidSidePremium)
        hasSweep = try container.decodeIfPresent(Bool.self, forKey: .hasSweep) ?? false
        underlyingPrice = try container.decodeMoneyIfPresent(.underlyingPrice)
        createdAt = try container.decode(Timestamp.self, forKey: .createdAt)
    }

    /// The share of the premium paid at the ask (buyers lifting offers), when both sides are known.
    public var askSideShare: Decimal? {
        guard let ask = totalAskSidePremium, totalPremium > 0 else { return nil }
        return ask / totalPremium
    }
}

/// The response envelope: `{"data": [...]}`.
public struct FlowAlertPage: Decodable, Hashable, Sendable {
    public var data: [UWFlowAlert]
}
