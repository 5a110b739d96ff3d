import Foundation
import PaperExchange
import Testing

struct JSONValueTests {
    /// Parsing then writing gives back the same text: key order and number literals survive.
    @Test func roundTripKeepsOrderAndNumberText() throws {
        let text = #"{"z":1,"a":[175.24,-0.5,1e3,0],"m":{"s":"x\"y\\z\n","t":true,"f":false,"n":null},"b":"175.10"}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serialized == text)
        #expect(value.objectValue?.keys == ["z", "a", "m", "b"])
        #expect(value["a"]?[0] == .number("175.24"))
        #expect(value["b"]?.decimalValue == Decimal(string: "175.1"))
    }

    /// Malformed documents are refused rather than half-read.
    @Test func refusesMalformedText() {
        for text in [#"{"a":1"#, #"{"a":1}x"#, "[1,]", "01", "1.2.3", #"{"a" 1}"#, #""\x""#, "", "nul", #"{"a":.5}"#] {
            #expect(throws: JSONParseError.self, "\(text)") { try JSONValue(parsing: text) }
        }
    }

    /// Invalid UTF-8 inside a string (a lone continuation byte, a cut sequence, an overlong form) is
    /// refused, not replaced with U+FFFD: an id is what was sent, or nothing.
    @Test func refusesInvalidUTF8InStrings() {
        for bad: [UInt8] in [[0x80], [0xE2, 0x82], [0xC0, 0xAF], [0xFF]] {
            let bytes = Array(#"{"client_order_id":"ab"#.utf8) + bad + Array(#"cd"}"#.utf8)
            #expect(throws: JSONParseError.self, "\(bad)") { try JSONValue(parsing: bytes) }
        }
        #expect((try? JSONValue(parsing: Array(#""caf\#u{e9}""#.utf8))) == .string("caf\u{e9}"))
    }

    /// Unicode escapes, including surrogate pairs, decode; control characters are escaped on output.
    @Test func unicodeEscapes() throws {
        let value = try JSONValue(parsing: #""caf\u00e9 \ud83d\ude00""#)
        #expect(value == .string("café 😀"))
        #expect(JSONValue.string("a\u{01}b").serialized == #""a\u0001b""#)
    }

    /// Plain decimal text is read exactly; anything that is not a JSON number is refused.
    @Test func decimalText() {
        #expect(DecimalText.parse("175.10") == Decimal(string: "175.1"))
        #expect(DecimalText.parse("-0.0028035244307129") == Decimal(string: "-0.0028035244307129"))
        for bad in ["", "12abc", "1.", ".5", "+1", "1,5", " 1", "NaN"] {
            #expect(DecimalText.parse(bad) == nil, "\(bad)")
        }
        #expect(DecimalText.format(Decimal(string: "100000.00")!) == "100000")
        #expect(DecimalText.format(Decimal(0)) == "0")
    }
}
