import Foundation
import TradingModel

extension ConsoleLoop {
    /// Debug builds only: `BULWARK_TEST_EVENT_LINES=N` adds N numbered lines to the history after the first
    /// snapshot, so an end-to-end test can fill the 10,000-line history without waiting for real events.
    static var testLineCount: Int? {
        #if DEBUG
        guard let text = ProcessInfo.processInfo.environment["BULWARK_TEST_EVENT_LINES"], let count = Int(text), count > 0 else { return nil }
        return min(count, 100_000)
        #else
        return nil
        #endif
    }
}

extension ConsoleUpdate {
    /// Folds one input into `model` in place (what `update(_:input:)` does, without copying the history).
    public static func fold(_ input: ConsoleInput, into model: inout ConsoleModel) {
        switch input {
        case .event(let event) where event.sequence == 0:
            foldKeepingPlace(&model) { apply(event, to: &$0) }
        case .event(let event):
            if let last = model.lastSequence, event.sequence <= last { return }
            foldKeepingPlace(&model) { apply(event, to: &$0) }
            model.lastSequence = event.sequence
        case .snapshot, .connection:
            model = update(model, input: input)
        }
    }

    /// `count` numbered lines, "Test line 1 of N" first, at the live clock (debug builds' test hook).
    static func addTestLines(_ count: Int, to model: inout ConsoleModel) {
        guard let time = model.live.clock else { return }
        foldKeepingPlace(&model) { data in
            for number in 1...count { data.log(.info, "Test line \(number) of \(count)", at: time) }
        }
    }
}
