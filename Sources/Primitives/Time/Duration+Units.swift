extension Duration {
    /// Whole nanoseconds (truncated), for benchmarks and metrics.
    public var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }

    /// Seconds as a floating-point figure, for printing rates. Never for money.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}

extension Duration {
    /// Whole seconds (truncated), for messages.
    public var wholeSeconds: Int64 { components.seconds }
}
