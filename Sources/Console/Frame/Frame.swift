/// What one cell of the screen looks like: a meaning (a theme key such as `health.failed`) that a theme
/// turns into colours, plus attributes that carry the meaning without colour.
public struct CellStyle: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1 << 0)
        public static let dim = Attributes(rawValue: 1 << 1)
        public static let reverse = Attributes(rawValue: 1 << 2)
        public static let underline = Attributes(rawValue: 1 << 3)
    }

    public var role: String?
    public var attributes: Attributes

    public init(role: String? = nil, attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let plain = CellStyle()
}

public struct Cell: Hashable, Sendable {
    public var character: Character
    public var style: CellStyle

    public init(_ character: Character, style: CellStyle = .plain) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell(" ")
}

/// A grid of styled cells: what the pure `view` function produces and the terminal backend paints.
/// Each `Character` takes one column (double-width characters are not used by the console).
public struct Frame: Hashable, Sendable {
    public let width: Int
    public let height: Int
    private var cells: [Cell]
    /// The terminal cannot show anything but ASCII (no UTF-8 locale): text written through `put` and
    /// the view's drawing replaces every other character with its ASCII fallback ("≥" becomes ">=").
    public var asciiOnly = false

    public init(width: Int, height: Int) {
        precondition(width >= 0 && height >= 0, "a frame cannot have a negative size")
        self.width = width
        self.height = height
        self.cells = Array(repeating: .blank, count: width * height)
    }

    public subscript(row: Int, column: Int) -> Cell {
        get { cells[row * width + column] }
        set { cells[row * width + column] = newValue }
    }

    /// Writes `text` from (`row`, `column`) rightwards, clipped to the frame; returns the column after it.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .plain) -> Int {
        guard (0..<height).contains(row) else { return column }
        var x = column
        for character in asciiOnly ? Glyphs.asciiText(text) : text {
            if x >= width { break }
            if x >= 0 { self[row, x] = Cell(character, style: style) }
            x += 1
        }
        return x
    }

    /// The characters of each row, without styles: what golden tests compare.
    public var lines: [String] {
        (0..<height).map { row in String(cells[(row * width)..<((row + 1) * width)].map(\.character)) }
    }

    /// A run of changed cells in one row, for painting only what changed.
    public struct Run: Hashable, Sendable {
        public var row: Int
        public var column: Int
        public var cells: [Cell]
    }

    /// The runs that differ from `previous`; everything, as one run per row, if the sizes differ.
    public func changes(since previous: Frame?) -> [Run] {
        guard let previous, previous.width == width, previous.height == height else {
            return (0..<height).map { row in Run(row: row, column: 0, cells: Array(cells[(row * width)..<((row + 1) * width)])) }
        }
        var runs: [Run] = []
        for row in 0..<height {
            var column = 0
            while column < width {
                guard self[row, column] != previous[row, column] else {
                    column += 1
                    continue
                }
                let start = column
                while column < width, self[row, column] != previous[row, column] { column += 1 }
                runs.append(Run(row: row, column: start, cells: Array(cells[(row * width + start)..<(row * width + column)])))
            }
        }
        return runs
    }
}
