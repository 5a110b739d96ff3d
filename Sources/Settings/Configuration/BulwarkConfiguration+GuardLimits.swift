import RiskGuard

extension GuardLimits {
    /// The guard's limits as configured (`MAX_POSITION_SIZE_USD` and the rest).
    public init(_ limits: BulwarkConfiguration.RiskLimits) {
        self.init(
            maxPositionSizeUSD: limits.maxPositionSizeUSD, maxNotionalPerOrder: limits.maxNotionalPerOrder,
            maxPortfolioExposurePct: limits.maxPortfolioExposurePct,
            maxConcentrationPerSymbolPct: limits.maxConcentrationPerSymbolPct,
            maxPriceDeviationPct: limits.maxPriceDeviationPct, minCooldown: .seconds(limits.minCooldownMinutes * 60),
            quoteMaxAge: .seconds(limits.quoteMaxAgeSeconds))
    }
}
