import Primitives

/// The console's pure view: a model and a terminal size in, a `Frame` of styled cells out. No terminal,
/// no clock, no theme: cells carry `ThemeRole` names and attributes, the backend turns them into colours.
public enum ConsoleView {
    /// The smallest terminal the full layout needs; anything smaller gets a screen saying so.
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// Draws `model` for a terminal of `size`.
    public static func view(_ model: ConsoleModel, size: (width: Int, height: Int), glyphs: Glyphs) -> Frame {
        var frame = Frame(width: max(0, size.width), height: max(0, size.height))
        frame.asciiOnly = glyphs.isASCII
        guard frame.width >= minimumWidth, frame.height >= minimumHeight else {
            drawTooSmall(model, into: &frame, glyphs: glyphs)
            drawOverlay(model, into: &frame, glyphs: glyphs)
            return frame
        }
        let data = model.shown
        // The header and the banner always draw the live data: freezing freezes the panes only.
        drawHeader(model, data: model.live, into: &frame, glyphs: glyphs)
        // Under the header and the banner, where `ConsoleModel.bodyTop` (which Tab's focus rules use too) says.
        let top = model.bodyTop
        if !model.isConnected {
            drawDisconnectedBanner(model, row: 1, into: &frame, glyphs: glyphs)
        } else if let safety = SafetyState(model) {
            drawSafetyBanner(safety, row: 1, into: &frame, glyphs: glyphs)
        }
        if model.eventsView.logOpen {
            drawLogView(model, top: top, into: &frame, glyphs: glyphs)
            drawLogHints(model, row: frame.height - 1, into: &frame)
            drawPinned(model, into: &frame, glyphs: glyphs)
            drawOverlay(model, into: &frame, glyphs: glyphs)
            return frame
        }
        // The Chaos pane: hidden where chaos is locked, one summary line until `c` unfolds it.
        let chaosHeight = model.chaosLocked ? 0 : model.chaosExpanded ? ChaosMode.keyed.count + 2 : 1
        let layout = Layout(
            width: frame.width, top: top, bottom: frame.height - 1, serviceCount: data.services.count, chaosHeight: chaosHeight,
            content: Layout.Content(data))
        let context = PaneContext(model: model, data: data, glyphs: glyphs)
        drawVitalsStrip(context, in: layout.vitalsStrip, into: &frame)
        drawVitalsPane(context, in: layout.vitals, into: &frame)
        drawOpenOrders(context, in: layout.orders, into: &frame)
        drawServices(context, in: layout.services, into: &frame)
        drawPositions(context, in: layout.positions, into: &frame)
        drawRejections(context, in: layout.rejections, into: &frame)
        drawChaos(context, in: layout.chaos, into: &frame)
        drawEvents(context, in: layout.events, into: &frame)
        drawHints(model, row: frame.height - 1, into: &frame)
        drawPinned(model, into: &frame, glyphs: glyphs)
        drawOverlay(model, into: &frame, glyphs: glyphs)
        return frame
    }

    /// Where each pane goes. Short terminals put a two-line vital signs strip under the header and Events
    /// along the bottom. Tall ones (40 rows and more) size the panes to what they hold: Positions beside
    /// Services and Vital signs, Guard rejections beside Open orders, then Chaos, and the rest of the
    /// height to the Events history across the whole width — no pane stays empty for lack of rows.
    struct Layout {
        /// What the tall layout sizes its panes by.
        struct Content {
            var positions: Int
            var orders: Int
            var rejections: Int
            var vitalsHeight: Int

            init(positions: Int = 0, orders: Int = 0, rejections: Int = 0, vitalsHeight: Int = 10) {
                self.positions = positions
                self.orders = orders
                self.rejections = rejections
                self.vitalsHeight = vitalsHeight
            }

            init(_ data: ConsoleModel.Snapshot) {
                self.init(
                    positions: data.positions.count, orders: data.vitals?.orders.count ?? 0, rejections: data.rejections.count,
                    vitalsHeight: ConsoleView.vitalsPaneHeight(data))
            }
        }

        var vitalsStrip = Rect(row: 0, column: 0, width: 0, height: 0)
        var vitals = Rect(row: 0, column: 0, width: 0, height: 0)
        var orders = Rect(row: 0, column: 0, width: 0, height: 0)
        var services: Rect
        var positions: Rect
        var rejections: Rect
        var chaos: Rect
        var events: Rect

        init(width: Int, top: Int, bottom: Int, serviceCount: Int, chaosHeight: Int, content: Content = Content()) {
            var top = top
            var bodyHeight = bottom - top
            let rightWidth = max(36, width * 45 / 100)
            let leftWidth = width - rightWidth
            if bodyHeight >= ConsoleModel.tallBodyRows {
                let servicesHeight = max(serviceCount, 4) + 3
                let upper = min(bodyHeight / 2, max(servicesHeight + content.vitalsHeight, min(content.positions + 5, 16)))
                positions = Rect(row: top, column: 0, width: leftWidth, height: upper)
                services = Rect(row: top, column: leftWidth, width: rightWidth, height: min(servicesHeight, upper))
                vitals = Rect(row: services.bottom, column: leftWidth, width: rightWidth, height: upper - services.height)
                let middle = min(bodyHeight / 3, max(8, max(content.rejections, content.orders) + 3))
                rejections = Rect(row: top + upper, column: 0, width: leftWidth, height: middle)
                orders = Rect(row: top + upper, column: leftWidth, width: rightWidth, height: middle)
                chaos = Rect(row: rejections.bottom, column: 0, width: width, height: chaosHeight)
                events = Rect(row: chaos.bottom, column: 0, width: width, height: bottom - chaos.bottom)
            } else {
                vitalsStrip = Rect(row: top, column: 1, width: width - 2, height: 2)
                top += 2
                bodyHeight -= 2
                let eventsHeight = max(4, bodyHeight - 17)
                let upper = bodyHeight - eventsHeight
                let rejectionsHeight = upper / 2
                positions = Rect(row: top, column: 0, width: leftWidth, height: upper - rejectionsHeight)
                rejections = Rect(row: positions.bottom, column: 0, width: leftWidth, height: rejectionsHeight)
                let servicesHeight = max(3, min(upper, upper - chaosHeight))
                services = Rect(row: top, column: leftWidth, width: rightWidth, height: servicesHeight)
                chaos = Rect(row: services.bottom, column: leftWidth, width: rightWidth, height: upper - servicesHeight)
                events = Rect(row: top + upper, column: 0, width: width, height: eventsHeight)
            }
        }
    }

    private static func drawTooSmall(_ model: ConsoleModel, into frame: inout Frame, glyphs: Glyphs) {
        guard frame.width > 0, frame.height > 0 else { return }
        let needed = "\(minimumWidth)\(glyphs.times)\(minimumHeight)"
        let actual = "\(frame.width)\(glyphs.times)\(frame.height)"
        let oneLine = "Bulwark needs at least \(needed); this terminal is \(actual)"
        var lines: [(String, CellStyle)] =
            oneLine.count <= frame.width
            ? [(oneLine, Style.title)]
            : [("Bulwark needs at least \(needed);", Style.title), ("this terminal is \(actual)", Style.title)]
        lines.append(("", Style.text))
        let data = model.live
        let trading = data.trading?.mode.rawValue ?? "UNKNOWN"
        let health = data.overall?.status.rawValue ?? "UNKNOWN"
        lines.append(("Trading \(trading), health \(health)", statusStyle(data)))
        lines.append(("Enlarge the window, or press q to quit.", Style.hint))
        let top = max(0, (frame.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let count = line.0.count
            let column = max(0, (frame.width - count) / 2)
            frame.text(line.0, row: top + offset, column: column, width: frame.width - column, style: line.1, ellipsis: glyphs.ellipsis)
        }
    }

    private static func statusStyle(_ data: ConsoleModel.Snapshot) -> CellStyle {
        if data.trading?.mode == .halted || data.overall?.status == .failed { return Style.healthFailed }
        if data.trading?.mode == .reducing || data.overall?.status == .degraded { return Style.healthDegraded }
        return Style.healthOK
    }

    /// Says the panes are not live, since when, why, and that `h` still halts.
    private static func drawDisconnectedBanner(_ model: ConsoleModel, row: Int, into frame: inout Frame, glyphs: Glyphs) {
        frame.fill(Rect(row: row, column: 0, width: frame.width, height: 1), style: Style.halted)
        let suffix = model.readOnly ? "" : "h halts via state/HALT "
        var text: String
        switch model.connection {
        case .connecting, .connected:
            text = " Connecting to Bulwark\(glyphs.trailingDots)"
        case .disconnected(let reason):
            text = " NOT CONNECTED: \(reason)"
        }
        let room = frame.width - suffix.count - 1
        frame.text(text, row: row, column: 0, width: room, style: Style.halted, ellipsis: glyphs.ellipsis)
        frame.text(suffix, row: row, column: frame.width - suffix.count, width: suffix.count, style: Style.halted)
    }
}
