import DequeModule
import Foundation

/// The Events pane's history: up to `capacity` lines in a ring (the oldest goes when it is full), a
/// repeat of the newest line merged into it with a count, and the lines that pass the operator's filter.
///
/// As a collection it is every line held, newest first (index 0 is the newest), as the pane lists them;
/// `shown(_:)` and `shownCount` are the lines that pass the filter. Each line gets a serial number, one
/// more than the line before, so a position survives the oldest lines going.
///
/// Equality is cheap in the common case: a copy that was not changed since (the frozen display, the model
/// before and after a key) is equal by its identity and generation, without looking at 10,000 lines.
public struct EventHistory: Sendable, RandomAccessCollection {
    public static let defaultCapacity = 10_000

    public let capacity: Int
    /// Whether a repeat of the newest line (same level, same text) is counted on it instead of added.
    public let mergesRepeats: Bool
    /// Oldest first.
    private var lines: Deque<ConsoleModel.EventLine> = []
    /// The serial the next line will get; the oldest held has `nextSerial - count`.
    public private(set) var nextSerial: UInt64 = 0
    /// How many lines that pass the filter were ever added (grows by the lines a fold adds to the view).
    public private(set) var shownAdded: UInt64 = 0
    public private(set) var filter = EventFilter()
    /// The serials of the lines that pass the filter, oldest first; nil while the filter passes all.
    private var passing: Deque<UInt64>?
    private let identity = UInt64.random(in: .min ... .max)
    private var generation: UInt64 = 0

    public init(capacity: Int = EventHistory.defaultCapacity, mergesRepeats: Bool = true) {
        self.capacity = Swift.max(1, capacity)
        self.mergesRepeats = mergesRepeats
    }

    // MARK: Collection (every line, newest first)

    public var startIndex: Int { 0 }
    public var endIndex: Int { lines.count }
    public subscript(position: Int) -> ConsoleModel.EventLine { lines[lines.count - 1 - position] }

    // MARK: Adding

    /// Adds a line, or counts it on the newest when it repeats that one. Returns true when a line was added.
    @discardableResult
    mutating func append(_ line: ConsoleModel.EventLine) -> Bool {
        generation &+= 1
        if mergesRepeats, let last = lines.last, last.level == line.level, last.text == line.text {
            lines[lines.count - 1].repeated(at: line.time)
            return false
        }
        if lines.count == capacity {
            lines.removeFirst()
            let dropped = nextSerial - UInt64(capacity)
            if passing?.first == dropped { passing?.removeFirst() }
        }
        lines.append(line)
        if filter.passes(line) {
            passing?.append(nextSerial)
            shownAdded += 1
        }
        nextSerial += 1
        return true
    }

    // MARK: The filtered view

    /// Sets the filter, working out again which lines pass it.
    mutating func setFilter(_ filter: EventFilter) {
        guard filter != self.filter else { return }
        generation &+= 1
        self.filter = filter
        guard filter.isActive else {
            passing = nil
            return
        }
        var serials = Deque<UInt64>()
        let first = nextSerial - UInt64(lines.count)
        for (offset, line) in lines.enumerated() where filter.passes(line) { serials.append(first + UInt64(offset)) }
        passing = serials
    }

    /// How many lines pass the filter.
    public var shownCount: Int { passing?.count ?? lines.count }

    /// The `index`-th line passing the filter, newest first.
    public func shown(_ index: Int) -> ConsoleModel.EventLine {
        guard let passing else { return self[index] }
        return line(serial: passing[passing.count - 1 - index])
    }

    /// The serial of the `index`-th line passing the filter, newest first.
    public func shownSerial(_ index: Int) -> UInt64 {
        guard let passing else { return nextSerial - 1 - UInt64(index) }
        return passing[passing.count - 1 - index]
    }

    /// Where the line with `serial` (or the next older one passing the filter) is, newest first; nil when
    /// no such line is held any more.
    public func shownIndex(ofSerial serial: UInt64) -> Int? {
        guard let passing else {
            let oldest = nextSerial - UInt64(lines.count)
            guard serial >= oldest, !lines.isEmpty else { return nil }
            return Int(nextSerial - 1 - Swift.min(serial, nextSerial - 1))
        }
        // The last passing serial at or below `serial`.
        var low = 0
        var high = passing.count
        while low < high {
            let middle = (low + high) / 2
            if passing[middle] <= serial { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        return passing.count - low
    }

    private func line(serial: UInt64) -> ConsoleModel.EventLine {
        lines[Int(serial - (nextSerial - UInt64(lines.count)))]
    }
}

extension EventHistory: Hashable {
    public static func == (lhs: EventHistory, rhs: EventHistory) -> Bool {
        if lhs.identity == rhs.identity, lhs.generation == rhs.generation { return true }
        guard lhs.lines.count == rhs.lines.count, lhs.nextSerial == rhs.nextSerial, lhs.filter == rhs.filter,
            lhs.capacity == rhs.capacity, lhs.mergesRepeats == rhs.mergesRepeats
        else { return false }
        // Newest first: two histories that differ usually differ in their newest lines.
        for index in lhs.lines.indices.reversed() where lhs.lines[index] != rhs.lines[index] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(lines.count)
        hasher.combine(nextSerial)
        hasher.combine(filter)
    }
}

/// What the Events pane and the log view show: lines containing a text (any case), at a level or above.
public struct EventFilter: Hashable, Sendable {
    /// `L` cycles: all, warnings and errors, errors only.
    public enum Levels: Hashable, Sendable {
        case all, warningAndAbove, errorOnly

        var next: Levels {
            switch self {
            case .all: .warningAndAbove
            case .warningAndAbove: .errorOnly
            case .errorOnly: .all
            }
        }

        /// As the pane title shows it.
        var label: String? {
            switch self {
            case .all: nil
            case .warningAndAbove: "WARN+"
            case .errorOnly: "ERROR"
            }
        }
    }

    public var text: String
    public var levels: Levels

    public init(text: String = "", levels: Levels = .all) {
        self.text = text
        self.levels = levels
    }

    /// Whether any line can fail it.
    public var isActive: Bool { !text.isEmpty || levels != .all }

    public func passes(_ line: ConsoleModel.EventLine) -> Bool {
        switch levels {
        case .all: break
        case .warningAndAbove: if line.level == .info { return false }
        case .errorOnly: if line.level != .error { return false }
        }
        return text.isEmpty || line.text.range(of: text, options: [.caseInsensitive]) != nil
    }

    /// ` /api/ WARN+`: what the pane title adds while filtered (empty when not).
    var titleSuffix: String {
        var parts: [String] = []
        if !text.isEmpty { parts.append("/" + text + "/") }
        if let label = levels.label { parts.append(label) }
        return parts.isEmpty ? "" : " " + parts.joined(separator: " ")
    }
}
