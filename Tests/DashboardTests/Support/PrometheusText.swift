/// A small parser of the Prometheus text exposition format (0.0.4), enough to read `/metrics` back:
/// `# HELP name text`, `# TYPE name type`, and `name{label="value",…} value` sample lines.
struct PrometheusText: Sendable {
    struct Sample: Hashable, Sendable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var line: String
        var reason: String
        var description: String { "\(reason): \(line)" }
    }

    var help: [String: String] = [:]
    var types: [String: String] = [:]
    var samples: [Sample] = []

    init(parsing text: String) throws {
        for line in text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init) {
            if line.hasPrefix("# ") {
                let parts = line.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: false).map(String.init)
                guard parts.count >= 3 else { throw Malformed(line: line, reason: "short comment") }
                switch parts[1] {
                case "HELP":
                    guard help[parts[2]] == nil else { throw Malformed(line: line, reason: "second HELP") }
                    help[parts[2]] = parts.count > 3 ? parts[3] : ""
                case "TYPE":
                    guard parts.count == 4, types[parts[2]] == nil else { throw Malformed(line: line, reason: "bad or second TYPE") }
                    types[parts[2]] = parts[3]
                default:
                    continue
                }
            } else {
                let sample = try Self.sample(line)
                guard types[sample.name] != nil else { throw Malformed(line: line, reason: "sample before its TYPE") }
                samples.append(sample)
            }
        }
    }

    /// The value of the sample `name` with exactly `labels`, or nil when there is none.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every sample of `name`.
    func samples(_ name: String) -> [Sample] {
        samples.filter { $0.name == name }
    }

    private static func sample(_ line: String) throws -> Sample {
        var rest = Substring(line)
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty else { throw Malformed(line: line, reason: "no name") }
        rest = rest[nameEnd...]
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                guard let equals = rest.firstIndex(of: "=") else { throw Malformed(line: line, reason: "label without =") }
                let key = String(rest[..<equals])
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { throw Malformed(line: line, reason: "unquoted label value") }
                rest = rest.dropFirst()
                var value = ""
                while let character = rest.first, character != "\"" {
                    rest = rest.dropFirst()
                    if character == "\\", let escaped = rest.first {
                        rest = rest.dropFirst()
                        value.append(escaped == "n" ? "\n" : escaped)
                    } else {
                        value.append(character)
                    }
                }
                guard rest.first == "\"" else { throw Malformed(line: line, reason: "unterminated label value") }
                rest = rest.dropFirst()
                guard labels.updateValue(value, forKey: key) == nil else { throw Malformed(line: line, reason: "repeated label") }
                if rest.first == "," { rest = rest.dropFirst() }
                guard !rest.isEmpty else { throw Malformed(line: line, reason: "unterminated labels") }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " ", let value = Double(rest.dropFirst()) else { throw Malformed(line: line, reason: "bad value") }
        return Sample(name: name, labels: labels, value: value)
    }
}
