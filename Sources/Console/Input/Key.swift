/// One key press, as the terminal backend decodes it (from `wget_wch`) and the pure model consumes it.
public enum Key: Hashable, Sendable {
    /// A printable character: letters (case kept), digits, `?`, …
    case character(Character)
    case enter
    case escape
    case tab
    case backTab
    case up
    case down
    case left
    case right
    case pageUp
    case pageDown
    case home
    case end
    case backspace
    /// Ctrl-C: the console reads it as a key (it asks, like `q`), not as a signal.
    case interrupt
    /// The terminal was resized (`KEY_RESIZE`); the backend reads the new size itself.
    case resize
}
