import CNCurses

extension Key {
    /// Decodes one `wget_wch` result: `status` is `OK` with a character in `value`, or `KEY_CODE_YES`
    /// with a function-key code; anything else (`ERR`, a control character, a key the console does not
    /// use) is nil. Pure: it reads only ncurses' constants.
    public init?(cursesStatus status: Int32, value: UInt32) {
        if status == bulwark_key_code_yes() {
            guard let key = Key.functionKeys[Int32(truncatingIfNeeded: value)] else { return nil }
            self = key
            return
        }
        guard status == bulwark_ok() else { return nil }
        switch value {
        case 3: self = .interrupt
        case 9: self = .tab
        case 10, 13: self = .enter
        case 27: self = .escape
        case 8, 127: self = .backspace
        case 0..<32, 128..<160: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            self = .character(Character(scalar))
        }
    }

    private static let functionKeys: [Int32: Key] = [
        bulwark_key_code_up(): .up, bulwark_key_code_down(): .down,
        bulwark_key_code_left(): .left, bulwark_key_code_right(): .right,
        bulwark_key_code_ppage(): .pageUp, bulwark_key_code_npage(): .pageDown,
        bulwark_key_code_home(): .home, bulwark_key_code_end(): .end,
        bulwark_key_code_btab(): .backTab, bulwark_key_code_enter(): .enter,
        bulwark_key_code_backspace(): .backspace, bulwark_key_resize(): .resize,
    ]
}
