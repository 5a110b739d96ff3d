import Synchronization

/// What one cell of the screen looks like: a meaning (a theme key such as `health.failed`) that a theme
/// turns into colours, plus attributes that carry the meaning without colour.
///
/// The role is kept as its number in `RoleNames`, not as the name: a cell is then plain data, copied,
/// compared and freed without reference counting — a 200×60 frame is 12,000 cells, built and diffed
/// several times a second.
public struct CellStyle: Hashable, Sendable {
    public struct Attributes: OptionSet, Hashable, Sendable {
        public let rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let bold = Attributes(rawValue: 1 << 0)
        public static let dim = Attributes(rawValue: 1 << 1)
        public static let reverse = Attributes(rawValue: 1 << 2)
        public static let underline = Attributes(rawValue: 1 << 3)
    }

    /// The role's number in `RoleNames`; 0 for none.
    var roleNumber: UInt16
    public var attributes: Attributes

    /// The theme key this cell means, if any.
    public var role: String? {
        get { RoleNames.name(of: roleNumber) }
        set { roleNumber = RoleNames.number(of: newValue) }
    }

    public init(role: String? = nil, attributes: Attributes = []) {
        self.roleNumber = RoleNames.number(of: role)
        self.attributes = attributes
    }

    /// Whether this style has the same role as `other` (attributes aside), without looking a name up.
    func hasRole(of other: CellStyle) -> Bool { roleNumber == other.roleNumber }

    /// No role: plain text.
    var hasNoRole: Bool { roleNumber == 0 }

    public static let plain = CellStyle()
}

/// The role names a `CellStyle` has been given, numbered in the order first seen (1, 2, …): the same name
/// always gets the same number, so equal numbers mean equal roles. Names are looked up when a style is made
/// (the view's styles are made once) and when a changed cell is painted, never while building or diffing.
enum RoleNames {
    private struct Table {
        var names: [String] = [""]
        var numbers: [String: UInt16] = [:]
    }

    private static let table = Mutex(Table())

    static func number(of name: String?) -> UInt16 {
        guard let name else { return 0 }
        return table.withLock { table in
            if let number = table.numbers[name] { return number }
            precondition(table.names.count < Int(UInt16.max), "more than 65,534 distinct cell roles")
            let number = UInt16(table.names.count)
            table.names.append(name)
            table.numbers[name] = number
            return number
        }
    }

    static func name(of number: UInt16) -> String? {
        guard number != 0 else { return nil }
        return table.withLock { $0.names[Int(number)] }
    }
}

/// One column of the screen: a character and its style. The character is kept as its one Unicode scalar
/// (plain data, like the style): the console gives every character one column, and a character made of
/// several scalars (a letter with a combining accent, an emoji with a variation selector) keeps its first.
public struct Cell: Hashable, Sendable {
    public var scalar: Unicode.Scalar
    public var style: CellStyle

    public var character: Character {
        get { Character(scalar) }
        set { scalar = newValue.unicodeScalars.first ?? " " }
    }

    public init(_ character: Character, style: CellStyle = .plain) {
        self.scalar = character.unicodeScalars.first ?? " "
        self.style = style
    }

    public init(scalar: Unicode.Scalar, style: CellStyle = .plain) {
        self.scalar = scalar
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
        return write(asciiOnly ? Glyphs.asciiText(text) : text, row: row, from: column, before: width, style: style).column
    }

    /// Writes `text` on `row` from `column`, one character a column, stopping before `end` (which must not
    /// pass the frame's width). Returns the column after the last character written, and whether some
    /// of the text did not fit. ASCII text (nearly all of it) is written byte by byte, without breaking
    /// it into characters.
    mutating func write(_ text: String, row: Int, from column: Int, before end: Int, style: CellStyle) -> (column: Int, cut: Bool) {
        var x = column
        let base = row * width
        let utf8 = text.utf8
        if utf8.allSatisfy({ $0 < 0x80 }) {
            for byte in utf8 {
                if x >= end { return (x, true) }
                if x >= 0 { cells[base + x] = Cell(scalar: Unicode.Scalar(byte), style: style) }
                x += 1
            }
            return (x, false)
        }
        for character in text {
            if x >= end { return (x, true) }
            if x >= 0 { cells[base + x] = Cell(character, style: style) }
            x += 1
        }
        return (x, false)
    }

    /// The characters of each row, without styles: what golden tests compare.
    public var lines: [String] {
        (0..<height).map { row in
            var line = String.UnicodeScalarView()
            line.append(contentsOf: cells[(row * width)..<((row + 1) * width)].lazy.map(\.scalar))
            return String(line)
        }
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
        cells.withUnsafeBufferPointer { now in
            previous.cells.withUnsafeBufferPointer { before in
                for row in 0..<height {
                    let base = row * width
                    var column = 0
                    while column < width {
                        guard now[base + column] != before[base + column] else {
                            column += 1
                            continue
                        }
                        let start = column
                        while column < width, now[base + column] != before[base + column] { column += 1 }
                        runs.append(Run(row: row, column: start, cells: Array(now[(base + start)..<(base + column)])))
                    }
                }
            }
        }
        return runs
    }
}
