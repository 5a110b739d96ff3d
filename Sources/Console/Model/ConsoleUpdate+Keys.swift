import TradingModel

extension ConsoleUpdate {
    /// Handles one key press: returns the new model and what the wiring must do. An open dialog or
    /// overlay takes the key first; otherwise the key map applies (see `KeyHelp.entries`).
    public static func update(_ model: ConsoleModel, key: Key) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        if key == .resize { return (model, []) }
        model.notice = nil
        if let handled = handleEventsKey(key, model: model) {
            var next = handled.0
            clearNewAtTop(&next)
            return (next, handled.1)
        }
        var (next, effects) = handleOverlay(key, model: model)
        clearNewAtTop(&next)
        return (next, effects)
    }

    private static func handleOverlay(_ key: Key, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        switch model.overlay {
        case .dialog(let dialog):
            // `h` halts from any dialog, except one that asks for a word: there it is text (the dialog's
            // hint says "Esc, then h to halt").
            if key == .character("h"), dialog.requiredWord == nil {
                model.overlay = nil
                return halt(model: model)
            }
            if key == .interrupt {
                // Ctrl-C is `q`: the quit dialog is already asking.
                return dialog.effect == .stop ? (model, []) : quit(model: model)
            }
            return handle(key, in: dialog, model: model)
        case .help, .details:
            if key == .character("q") || key == .interrupt {
                return quit(model: model)
            } else if key == .character("h") {
                model.overlay = nil
                return halt(model: model)
            } else if key == .escape || key == .enter || key == .character("?") {
                model.overlay = nil
            }
            return (model, [])
        case nil:
            return handleMain(key, model: model)
        }
    }

    private static func handleMain(_ key: Key, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        switch key {
        case .character("?"):
            model.overlay = .help
        case .character("q"), .interrupt:
            return quit(model: model)
        case .tab:
            repeat { model.focus = model.focus.next } while !model.isFocusable(model.focus)
        case .backTab:
            repeat { model.focus = model.focus.previous } while !model.isFocusable(model.focus)
        case .up, .character("k"):
            moveSelection(&model, by: -1)
        case .down, .character("j"):
            moveSelection(&model, by: 1)
        case .pageUp:
            moveSelection(&model, by: -10)
        case .pageDown:
            moveSelection(&model, by: 10)
        case .home, .character("g"):
            model.selection[model.focus] = 0
        case .end, .character("G"):
            model.selection[model.focus] = max(0, model.rowCount(of: model.focus) - 1)
        case .enter:
            if let details = RowDetails.details(of: model) {
                model.overlay = .details(title: details.title, lines: details.lines)
                model.detailsItem = model.itemKey(row: model.selectedRow(in: model.focus), in: model.focus)
            }
        case .escape:
            break
        case .character("h"):
            return halt(model: model)
        case .character("r"):
            return confirm(.resume(), command: .resume, model: model)
        case .character("x"):
            return confirm(.reduceOnly(), command: .reduceOnly, model: model)
        case .character("F"):
            return confirm(.flattenAll(positions: model.live.positions.count), command: .flattenAll, model: model)
        case .character("C"):
            return closeSelectedPosition(model: model)
        case .character("f"):
            model.frozenSnapshot = model.isFrozen ? nil : model.live
        case .character("t"):
            return (model, [.nextTheme])
        case .character("w"):
            explainSafety(&model)
        case .character("c"):
            foldChaos(&model)
        case .character(let character):
            if let number = character.wholeNumberValue, (1...9).contains(number), character.isASCII {
                return toggleChaos(number: number, model: model)
            }
            hintHelp(&model, key: "'\(character)'")
        case .left, .right, .backspace:
            hintHelp(&model, key: "this key")
        default:
            break
        }
        return (model, [])
    }

    private static func moveSelection(_ model: inout ConsoleModel, by delta: Int) {
        let count = model.rowCount(of: model.focus)
        guard count > 0 else {
            model.selection[model.focus] = 0
            return
        }
        let current = model.selectedRow(in: model.focus)
        model.selection[model.focus] = max(0, min(count - 1, current + delta))
    }

    /// `q`: an attached console just ends (the instance keeps running); the console of `bulwark run`
    /// asks whether to detach (keep trading) or stop Bulwark, Cancel focused.
    private static func quit(model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        if model.isAttached {
            model.overlay = nil
            return (model, [.detach])
        }
        model.overlay = .dialog(.quit())
        return (model, [])
    }

    /// `h` halts at once: sent to the instance, or — when it cannot be reached — through the kill-switch
    /// file. A read-only console changes nothing.
    private static func halt(model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        if model.readOnly {
            model.notice = refusal(.halt)
            return (model, [])
        }
        return (model, [model.isConnected ? .send(.halt) : .createHaltFile])
    }

    /// A command that needs confirming first, unless the console is read-only or not connected.
    static func confirm(_ dialog: Dialog, command: ControlCommand, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        if model.readOnly {
            model.notice = refusal(command)
        } else if !model.isConnected {
            model.notice = unreachable(command)
        } else {
            model.overlay = .dialog(dialog)
        }
        return (model, [])
    }

    private static func toggleChaos(number: Int, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        guard let mode = ConsoleModel.chaosMode(number: number) else { return (model, []) }
        if model.chaosLocked {
            model.notice = Notice(
                "Chaos is LOCKED: the broker is a live account, failure rehearsals are refused.", severity: .error)
            return (model, [])
        }
        let switchOn = !model.live.chaosOn.contains(mode)
        if model.readOnly {
            model.notice = refusal(.chaos(mode, on: switchOn))
            return (model, [])
        }
        if !model.isConnected {
            model.notice = unreachable(.chaos(mode, on: switchOn))
            return (model, [])
        }
        if switchOn {
            model.overlay = .dialog(.chaosOn(mode, number: number))
            return (model, [])
        }
        return (model, [.send(.chaos(mode, on: false))])
    }

    static func refusal(_ command: ControlCommand) -> Notice {
        Notice("Read-only console: \(command) refused (started with --readonly).", severity: .warning)
    }

    static func unreachable(_ command: ControlCommand) -> Notice {
        Notice("Not connected to Bulwark: \(command) cannot be sent. h still halts (through state/HALT).", severity: .error)
    }

    private static func handle(_ key: Key, in dialog: Dialog, model: ConsoleModel) -> (ConsoleModel, [ConsoleEffect]) {
        var model = model
        var dialog = dialog
        if dialog.requiredWord != nil {
            switch key {
            case .escape:
                model.overlay = nil
                return (model, [])
            case .enter:
                model.overlay = nil
                return dialog.wordMatches ? (model, [dialog.effect]) : (model, [])
            case .backspace:
                if !dialog.typed.isEmpty { dialog.typed.removeLast() }
            case .character(let character):
                if dialog.typed.count < 32 { dialog.typed.append(character) }
            default:
                break
            }
            model.overlay = .dialog(dialog)
            return (model, [])
        }
        switch key {
        case .character(let character) where dialog.confirmKeys.contains(character):
            model.overlay = nil
            return (model, [dialog.effect])
        case .character(let character) where dialog.alternate?.keys.contains(character) == true:
            model.overlay = nil
            return (model, dialog.alternate.map { [$0.effect] } ?? [])
        case .character("n"), .character("N"), .escape:
            model.overlay = nil
        case .enter:
            model.overlay = nil
            switch dialog.focus {
            case .cancel: break
            case .confirm: return (model, [dialog.effect])
            case .alternate: return (model, dialog.alternate.map { [$0.effect] } ?? [])
            }
        case .tab, .right:
            dialog.focus = dialog.nextFocus(forward: true)
            model.overlay = .dialog(dialog)
        case .backTab, .left:
            dialog.focus = dialog.nextFocus(forward: false)
            model.overlay = .dialog(dialog)
        default:
            break
        }
        return (model, [])
    }
}
