import Logging
import Primitives
import TradingModel

/// A swift-log handler that writes one JSON object per line to a `LogFile`, never to the terminal;
/// secrets are redacted; warnings and worse are also forwarded to the event bus as `.log` events.
///
/// A line: `{"ts":"…","level":"info","label":"…","message":"…","metadata":{…},"source":"…","line":"File.swift:12"}`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    public var logLevel: Logger.Level = .info

    private let label: String
    private let file: LogFile
    private let clock: any WallClock
    private let redactor: Redactor
    private let bus: EventBus?

    public init(label: String, file: LogFile, clock: any WallClock, redactor: Redactor, bus: EventBus? = nil) {
        self.label = label
        self.file = file
        self.clock = clock
        self.redactor = redactor
        self.bus = bus
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        if let error = event.error { merged["error"] = .string(error.operatorText) }

        let message = redactor.redact(event.message.description)
        var json = "{\"ts\":\"\(clock.now.rfc3339)\",\"level\":\"\(event.level.rawValue)\",\"label\":"
        JSON.appendString(label, to: &json)
        json += ",\"message\":"
        JSON.appendString(message, to: &json)
        if !merged.isEmpty {
            json += ",\"metadata\":"
            appendMetadata(merged, to: &json)
        }
        json += ",\"source\":"
        JSON.appendString(event.source, to: &json)
        json += ",\"line\":"
        JSON.appendString("\(event.file.split(separator: "/").last ?? ""):\(event.line)", to: &json)
        json += "}"
        file.append(line: json)

        if event.level >= .warning, let bus {
            bus.publish(.log(LogLine(level: event.level, label: label, message: message)))
        }
    }

    private func appendMetadata(_ metadata: Logger.Metadata, to json: inout String) {
        json += "{"
        for (index, key) in metadata.keys.sorted().enumerated() {
            if index > 0 { json += "," }
            JSON.appendString(key, to: &json)
            json += ":"
            appendValue(metadata[key]!, to: &json)
        }
        json += "}"
    }

    private func appendValue(_ value: Logger.Metadata.Value, to json: inout String) {
        switch value {
        case .string(let text):
            JSON.appendString(redactor.redact(text), to: &json)
        case .stringConvertible(let convertible):
            JSON.appendString(redactor.redact(convertible.description), to: &json)
        case .array(let values):
            json += "["
            for (index, element) in values.enumerated() {
                if index > 0 { json += "," }
                appendValue(element, to: &json)
            }
            json += "]"
        case .dictionary(let dictionary):
            appendMetadata(dictionary, to: &json)
        }
    }
}
