import CNCurses

/// ncurses attribute bits, read from the C shim (never hard-coded: they differ between builds).
public enum TerminalAttributes {
    public static var bold: UInt32 { UInt32(truncatingIfNeeded: bulwark_a_bold()) }
    public static var dim: UInt32 { UInt32(truncatingIfNeeded: bulwark_a_dim()) }
    public static var reverse: UInt32 { UInt32(truncatingIfNeeded: bulwark_a_reverse()) }
    public static var underline: UInt32 { UInt32(truncatingIfNeeded: bulwark_a_underline()) }

    /// The ncurses attributes that carry a cell's meaning without colour.
    public static func bits(for attributes: CellStyle.Attributes) -> UInt32 {
        var bits: UInt32 = 0
        if attributes.contains(.bold) { bits |= bold }
        if attributes.contains(.dim) { bits |= dim }
        if attributes.contains(.reverse) { bits |= reverse }
        if attributes.contains(.underline) { bits |= underline }
        return bits
    }
}
