/// The characters the view draws borders and sparklines with: box drawing when the terminal speaks UTF-8,
/// plain ASCII when it does not (degrade, never refuse).
public struct Glyphs: Hashable, Sendable {
    public var horizontal: Character
    public var vertical: Character
    public var topLeft: Character
    public var topRight: Character
    public var bottomLeft: Character
    public var bottomRight: Character
    /// Sparkline levels, lowest first.
    public var sparkline: [Character]
    /// Marks text cut to fit.
    public var ellipsis: Character
    /// The sign between width and height ("80×24").
    public var times: Character
    /// Separates parts of the header.
    public var separator: Character
    /// A dash between clauses ("DISCONNECTED — reconnecting").
    public var dash: Character

    public init(
        horizontal: Character, vertical: Character, topLeft: Character, topRight: Character,
        bottomLeft: Character, bottomRight: Character, sparkline: [Character], ellipsis: Character,
        times: Character, separator: Character, dash: Character = "-"
    ) {
        precondition(!sparkline.isEmpty, "a sparkline needs at least one level")
        self.horizontal = horizontal
        self.vertical = vertical
        self.topLeft = topLeft
        self.topRight = topRight
        self.bottomLeft = bottomLeft
        self.bottomRight = bottomRight
        self.sparkline = sparkline
        self.ellipsis = ellipsis
        self.times = times
        self.separator = separator
        self.dash = dash
    }

    /// "…" or "...": something still going on.
    public var trailingDots: String { ellipsis == "…" ? "…" : "..." }

    /// Box drawing and block elements.
    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], ellipsis: "…", times: "×", separator: "│", dash: "—")

    /// Seven-bit ASCII only, for terminals without a UTF-8 locale.
    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        sparkline: ["_", ".", "-", "=", "#"], ellipsis: "~", times: "x", separator: "|")

}
