/// Hands out ncurses colour pairs on demand, one per (foreground, background), and remembers them.
/// Pure bookkeeping: the terminal thread calls `init_pair` when `isNew` says so.
public struct ColorPairTable: Sendable {
    /// The pair to paint with, and whether the terminal must be told its colours first.
    public struct Allocation: Hashable, Sendable {
        public var number: Int
        public var isNew: Bool
        /// The colours to give `init_pair` (the terminal's default already replaced when it has none).
        public var foreground: Int
        public var background: Int
    }

    private struct Colors: Hashable {
        var foreground: Int
        var background: Int
    }

    /// `COLOR_PAIRS`: pairs 1…capacity-1 can be allocated; pair 0 is the terminal's default.
    public let capacity: Int
    /// `use_default_colors` succeeded, so -1 means the terminal's own colour; otherwise -1 becomes
    /// white on black, the colours of pair 0.
    public let defaultColorsAllowed: Bool
    private var numbers: [Colors: Int] = [:]

    public init(capacity: Int, defaultColorsAllowed: Bool) {
        self.capacity = capacity
        self.defaultColorsAllowed = defaultColorsAllowed
    }

    /// Pairs allocated so far (pair 0 not counted).
    public var count: Int { numbers.count }

    /// The pair for `foreground` on `background` (-1: the terminal's default). When the table is full,
    /// pair 0: the text keeps its attributes and loses its colours.
    public mutating func pair(foreground: Int, background: Int) -> Allocation {
        let colors = Colors(
            foreground: foreground < 0 && !defaultColorsAllowed ? 7 : foreground,
            background: background < 0 && !defaultColorsAllowed ? 0 : background)
        let isPairZero = defaultColorsAllowed ? (colors.foreground < 0 && colors.background < 0) : (colors.foreground == 7 && colors.background == 0)
        if isPairZero { return Allocation(number: 0, isNew: false, foreground: colors.foreground, background: colors.background) }
        if let number = numbers[colors] {
            return Allocation(number: number, isNew: false, foreground: colors.foreground, background: colors.background)
        }
        let number = numbers.count + 1
        guard number < capacity else {
            return Allocation(number: 0, isNew: false, foreground: colors.foreground, background: colors.background)
        }
        numbers[colors] = number
        return Allocation(number: number, isNew: true, foreground: colors.foreground, background: colors.background)
    }
}
