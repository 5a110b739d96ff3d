import Primitives

/// The header line and the key-hint line.
extension ConsoleView {
    static func drawHeader(_ model: ConsoleModel, data: ConsoleModel.Snapshot, into frame: inout Frame, glyphs: Glyphs) {
        let width = frame.width
        frame.fill(Rect(row: 0, column: 0, width: width, height: 1), style: Style.header)

        // Right side first: badges, then the clock; the left side gets what is left.
        let clock = data.clock.map { TextFormat.clock($0) + " UTC" } ?? "--:--:-- UTC"
        var right = width - clock.count - 1
        frame.text(clock, row: 0, column: right, width: clock.count, style: Style.headerBold)
        var badges: [String] = []
        if model.droppedEvents > 0 { badges.append("\(model.droppedEvents) EVENTS LOST") }
        if model.isFrozen { badges.append("FROZEN") }
        if model.readOnly { badges.append("READ-ONLY") }
        for badge in badges {
            right -= badge.count + 3
            frame.text(" " + badge + " ", row: 0, column: right + 1, width: badge.count + 2, style: Style.badge)
        }
        let end = right - 1

        let separator = " \(glyphs.separator) "
        var x = frame.text(" Bulwark", row: 0, column: 0, width: end, style: Style.headerBold)
        x = frame.text(separator, row: 0, column: x, width: end - x, style: Style.header)
        let brokerStyle = model.broker == .live ? Style.headerLive : Style.headerBold
        x = frame.text(Self.brokerText(model, data: data, room: end - x, glyphs: glyphs), row: 0, column: x, width: end - x, style: brokerStyle)
        x = frame.text(separator, row: 0, column: x, width: end - x, style: Style.header)

        if !model.isConnected {
            // Never the trading word or the health of stale data: what is drawn is not live.
            frame.text(connectionText(model, glyphs: glyphs), row: 0, column: x, width: end - x, style: Style.halted, ellipsis: glyphs.ellipsis)
            return
        }
        let (modeText, modeStyle) = tradingWord(data.trading)
        let health = data.overall
        let healthWord = health?.status.rawValue ?? "UNKNOWN"
        let healthReason = health?.reason.map { " " + $0.rawValue } ?? ""
        let healthText = "Health " + healthWord + healthReason
        // The trading reason gets whatever room the fixed parts leave.
        let fixed = modeText.count + separator.count + healthText.count
        var reasonWidth = end - x - fixed
        let reason = data.trading?.reason ?? ""
        if reason.isEmpty || reasonWidth < 6 { reasonWidth = 0 }
        // Cut at a word, the same words the banner starts with (`w` shows the whole reason); left out
        // when not even its first word fits.
        let shownReason = TextFormat.shortened(reason, width: max(0, reasonWidth - 3), ellipsis: glyphs.ellipsis)
        x = frame.text(modeText, row: 0, column: x, width: end - x, style: modeStyle)
        if reasonWidth > 0, shownReason.count > 1 {
            x = frame.text(" (" + shownReason + ")", row: 0, column: x, width: reasonWidth, style: Style.header)
        }
        x = frame.text(separator, row: 0, column: x, width: end - x, style: Style.header)
        x = frame.text("Health ", row: 0, column: x, width: end - x, style: Style.header)
        frame.text(healthWord + healthReason, row: 0, column: x, width: end - x, style: healthStyle(health?.status), ellipsis: glyphs.ellipsis)
    }

    /// The broker's word: for the embedded exchange, which trades around the clock (its session is
    /// `always`), "SIM 24/7" — so that a trade at 3 a.m. on a Sunday surprises no one — wherever that fits
    /// beside the whole of the trading word, its reason and the health (with its reason); "SIM" where it does
    /// not: the header never cuts what it says about safety for it.
    static func brokerText(_ model: ConsoleModel, data: ConsoleModel.Snapshot, room: Int, glyphs: Glyphs) -> String {
        guard model.broker == .sim else { return model.broker.rawValue }
        let around = "SIM 24/7"
        let separator = " \(glyphs.separator) "
        let rest: Int
        if !model.isConnected {
            rest = connectionText(model, glyphs: glyphs).count
        } else {
            let health = data.overall
            let healthText = "Health " + (health?.status.rawValue ?? "UNKNOWN") + (health?.reason.map { " " + $0.rawValue } ?? "")
            // The whole trading reason comes before the "24/7": it says why trading is held.
            let reason = data.trading?.reason ?? ""
            rest = tradingWord(data.trading).0.count + (reason.isEmpty ? 0 : reason.count + 3) + separator.count + healthText.count
        }
        return around.count + separator.count + rest <= room ? around : model.broker.rawValue
    }

    /// "DISCONNECTED — reconnecting… data as of 12:00:03" (or "CONNECTING…" before the first connection).
    static func connectionText(_ model: ConsoleModel, glyphs: Glyphs) -> String {
        if model.connection == .connecting { return "CONNECTING\(glyphs.trailingDots)" }
        let asOf = model.dataAsOf.map { "data as of " + TextFormat.clock($0) } ?? "no data yet"
        return "DISCONNECTED \(glyphs.dash) reconnecting\(glyphs.trailingDots) \(asOf)"
    }

    /// ACTIVE / HALTED / REDUCING, always written, with the style that goes with it.
    static func tradingWord(_ state: TradingState?) -> (String, CellStyle) {
        guard let state else { return ("TRADING ?", Style.dim) }
        switch state.mode {
        case .active: return ("ACTIVE", Style.tradingActive)
        case .halted: return ("HALTED", Style.halted)
        case .reducing: return ("REDUCING", Style.tradingReducing)
        }
    }

    static func healthStyle(_ status: HealthStatus?) -> CellStyle {
        switch status {
        case .ok: Style.healthOK
        case .starting, .degraded: Style.healthDegraded
        case .failed: Style.healthFailed
        case .stopped, nil: Style.dim
        }
    }

    static func drawHints(_ model: ConsoleModel, row: Int, into frame: inout Frame) {
        let width = frame.width
        if drawFilterPrompt(model, row: row, into: &frame) { return }
        if let notice = model.notice {
            let style: CellStyle =
                switch notice.severity {
                case .info: Style.hint
                case .warning: Style.eventWarning
                case .error: Style.eventError
                }
            frame.fill(Rect(row: row, column: 0, width: width, height: 1), style: style)
            frame.text(" " + notice.text, row: row, column: 0, width: width, style: style)
            return
        }
        var x = 1
        for hint in KeyHelp.hints {
            let disabled = KeyHelp.isDisabled(hint.command, model: model)
            let needed = hint.key.count + 1 + hint.label.count
            guard x + needed < width else { break }
            let keyStyle = disabled ? Style.hintDisabled : CellStyle(role: ThemeRole.hint, attributes: .bold)
            x = frame.text(hint.key, row: row, column: x, width: width - x, style: keyStyle)
            x = frame.text(" " + hint.label, row: row, column: x, width: width - x, style: disabled ? Style.hintDisabled : Style.hint)
            x += 2
        }
    }
}
