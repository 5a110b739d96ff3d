import Primitives

/// The event history's keys: `/` filters by text, `L` by level, `l` opens the log view, `P` the pinned
/// incidents; and how a scrolled view stays put while lines arrive.
extension ConsoleUpdate {
    /// Tells the model how many rows the terminal has (the log view pages by it; the Open orders pane is
    /// drawn, and focusable, only on a tall one): a focus on a pane no longer drawn goes to Services.
    public static func update(_ model: ConsoleModel, screenRows: Int) -> ConsoleModel {
        var model = model
        model.eventsView.screenRows = max(1, screenRows)
        if !model.isFocusable(model.focus) { model.focus = .services }
        return model
    }

    /// Folds `event` in, keeping a scrolled Events pane and log view on the lines they show: the Events
    /// pane's selection moves down by the lines added above it, counted as "N new".
    static func foldKeepingPlace(_ model: inout ConsoleModel, _ fold: (inout ConsoleModel.Snapshot) -> Void) {
        let before = model.live.events.shownAdded
        fold(&model.live)
        let added = Int(model.live.events.shownAdded - before)
        guard added > 0, !model.isFrozen else { return }
        if let row = model.selection[.events], row > 0 {
            model.selection[.events] = row + added
            model.eventsView.newCount += added
        }
        if model.eventsView.logTop != nil { model.eventsView.logNewCount += added }
    }

    /// The key, when the event history's field, log view or pinned list takes it (or it is one of the
    /// history's own keys); nil to hand it on.
    static func handleEventsKey(_ key: Key, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect])? {
        var model = model
        if let typed = model.eventsView.typing {
            typeFilter(key, typed: typed, model: &model)
            return (model, [])
        }
        guard model.overlay == nil else { return nil }
        if model.eventsView.pinnedOpen { return pinnedKey(key, model: model) }
        if model.eventsView.logOpen, let handled = logKey(key, model: &model) { return handled }
        switch key {
        case .character("/"):
            model.eventsView.typing = model.shown.events.filter.text
        case .character("L"):
            var filter = model.shown.events.filter
            filter.levels = filter.levels.next
            setFilter(filter, model: &model)
        case .character("l"):
            model.eventsView.logOpen = true
            model.eventsView.logTop = nil
            model.eventsView.logNewCount = 0
        case .character("P"):
            model.eventsView.pinnedOpen = true
            model.eventsView.confirmingClear = false
        default:
            return nil
        }
        return (model, [])
    }

    /// After any key: back at the top of the Events pane, the "N new" marker goes.
    static func clearNewAtTop(_ model: inout ConsoleModel) {
        if model.eventsView.newCount > 0, model.selectedRow(in: .events) == 0 { model.eventsView.newCount = 0 }
    }

    /// The filter field: text (`h` too), Backspace, Enter applies, Esc clears the text filter.
    private static func typeFilter(_ key: Key, typed: String, model: inout ConsoleModel) {
        var typed = typed
        var filter = model.shown.events.filter
        switch key {
        case .escape:
            model.eventsView.typing = nil
            filter.text = ""
            setFilter(filter, model: &model)
            return
        case .enter:
            model.eventsView.typing = nil
            filter.text = typed
            setFilter(filter, model: &model)
            return
        case .backspace:
            if !typed.isEmpty { typed.removeLast() }
        case .character(let character):
            if typed.count < ConsoleModel.filterLimit, !character.isNewline { typed.append(character) }
        case .interrupt:
            // Ctrl-C closes the field (as Esc would leave it: unchanged); `q` from there asks to quit.
            model.eventsView.typing = nil
            return
        default:
            break
        }
        model.eventsView.typing = typed
    }

    /// Applies `filter` to the live and the frozen history; the views go back to the newest line.
    private static func setFilter(_ filter: EventFilter, model: inout ConsoleModel) {
        model.live.events.setFilter(filter)
        model.frozenSnapshot?.events.setFilter(filter)
        model.selection[.events] = 0
        model.eventsView.newCount = 0
        model.eventsView.logTop = nil
        model.eventsView.logNewCount = 0
    }

    /// The log view's keys; nil for a key the main map handles the same way (`h`, `?`, `/`, `L`, Ctrl-C).
    private static func logKey(_ key: Key, model: inout ConsoleModel) -> (ConsoleModel, [ConsoleEffect])? {
        let rows = model.logRows(height: model.eventsView.screenRows)
        switch key {
        case .escape, .character("q"), .character("l"):
            model.eventsView.logOpen = false
            model.eventsView.logTop = nil
        case .up, .character("k"): scrollLog(&model, older: 1, rows: rows)
        case .down, .character("j"): scrollLog(&model, older: -1, rows: rows)
        case .pageUp, .character("b"): scrollLog(&model, older: rows, rows: rows)
        case .pageDown, .character(" "): scrollLog(&model, older: -rows, rows: rows)
        case .home, .character("g"): scrollLog(&model, older: model.shown.events.shownCount, rows: rows)
        case .end, .character("G"):
            model.eventsView.logTop = nil
            model.eventsView.logNewCount = 0
        case .character("h"), .character("?"), .character("/"), .character("L"), .character("P"), .character("f"), .interrupt, .resize:
            return nil
        case .character, .tab, .backTab, .enter, .left, .right, .backspace:
            model.notice = Notice("Log view: j k PgUp PgDn g G scroll, / filter, L level, Esc or q closes, h halts", severity: .info)
        }
        return (model, [])
    }

    /// Moves the log view `older` lines towards the oldest (negative: towards the newest); reaching the
    /// newest line follows it again.
    private static func scrollLog(_ model: inout ConsoleModel, older: Int, rows: Int) {
        let events = model.shown.events
        let count = events.shownCount
        let bottomTop = min(count, rows) - 1
        guard count > rows else {
            model.eventsView.logTop = nil
            return
        }
        let top = max(bottomTop, min(count - 1, model.logTopIndex(rows: rows) + older))
        if top == bottomTop {
            model.eventsView.logTop = nil
            model.eventsView.logNewCount = 0
        } else {
            model.eventsView.logTop = events.shownSerial(top)
        }
    }

    /// The pinned list: `C` asks to clear it, `y` then clears; Esc, `q` or `P` close it; `h` halts.
    private static func pinnedKey(_ key: Key, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect])? {
        var model = model
        if model.eventsView.confirmingClear {
            model.eventsView.confirmingClear = false
            if key == .character("y") || key == .character("Y") {
                model.live.pinned.removeAll()
                model.frozenSnapshot?.pinned.removeAll()
            }
            return (model, [])
        }
        switch key {
        case .character("C"):
            model.eventsView.confirmingClear = !model.live.pinned.isEmpty
        case .escape, .character("q"), .character("P"), .enter:
            model.eventsView.pinnedOpen = false
        case .character("h"), .interrupt, .resize:
            model.eventsView.pinnedOpen = false
            return nil
        default:
            break
        }
        return (model, [])
    }
}
