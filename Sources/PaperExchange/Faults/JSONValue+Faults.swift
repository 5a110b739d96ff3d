extension JSONValue {
    /// This value with `key` removed from every object in it, at any depth.
    func removingKey(_ key: String) -> JSONValue {
        switch self {
        case .array(let elements):
            return .array(elements.map { $0.removingKey(key) })
        case .object(let object):
            return .object(JSONObject(object.members.filter { $0.key != key }.map { .init(key: $0.key, value: $0.value.removingKey(key)) }))
        default:
            return self
        }
    }

    /// The key a `missingField(nil)` fault removes: the first of the top-level object, or of the first
    /// element of a top-level array.
    var firstKey: String? {
        switch self {
        case .object(let object): object.keys.first
        case .array(let elements): elements.first?.objectValue?.keys.first
        default: nil
        }
    }

    /// A body that is not JSON: the first half of this value's text (an unclosed object or array).
    var truncatedBytes: [UInt8] {
        let bytes = self.bytes
        return Array(bytes.prefix(max(1, bytes.count / 2)))
    }
}
