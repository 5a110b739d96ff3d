public enum OrderSide: String, Hashable, Sendable, Codable, CaseIterable {
    case buy
    case sell

    /// The sign a fill of this side applies to a position's quantity.
    public var sign: Int { self == .buy ? 1 : -1 }
}
