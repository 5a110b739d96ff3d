import Foundation
import Primitives

extension StateFileFormat {
    /// What a state file's bytes turned out to be.
    public enum Decoded: Sendable, Hashable {
        /// A complete, consistent state. `savedAt` is `nil` for version 1, which did not record it. A
        /// `schemaVersion` below the current one was migrated in memory.
        case valid(PersistentState, savedAt: Timestamp?, schemaVersion: Int)
        /// Unusable, and why.
        case corrupt(String)
        /// Written by a newer Bulwark; this build must not read or replace it.
        case newerSchema(Int)
    }

    /// Decodes and checks a state file of any known version. Never traps, whatever the bytes.
    /// `now` stands in for times a version 1 file does not hold.
    public static func decode(_ bytes: [UInt8], now: Timestamp) -> Decoded {
        guard !bytes.isEmpty else { return .corrupt("the file is empty") }
        let data = Data(bytes)
        let probe: VersionProbe
        do {
            probe = try JSONDecoder().decode(VersionProbe.self, from: data)
        } catch {
            return .corrupt(describe(error))
        }
        switch probe.version {
        case .schema(let version) where version == currentSchemaVersion || version == 2:
            // Version 2 is version 3 without the processed alerts: read the same way, migrated with none
            // (the last processed alert id becomes the first), rebuilt from the journal at load.
            return decodeCurrent(bytes, data)
        case .schema(let version) where version > currentSchemaVersion:
            return .newerSchema(version)
        case .schema(let version):
            return .corrupt("schema_version \(version) is not one Bulwark ever wrote (version 1 files say \"version\": 1)")
        case .original(1):
            return StateMigration.decodeVersion1(data, now: now)
        case .original(let version):
            // Only version 1 was written in this layout; every later version says "schema_version". So
            // this is not a newer file but one nothing wrote: say what it is, not "newer".
            return .corrupt(
                "it has the version 1 layout (a \"version\" field, no \"schema_version\") but says \"version\": \(version); "
                    + "only version 1 files were written in that layout (this build writes \"schema_version\": \(currentSchemaVersion))")
        }
    }

    private static func decodeCurrent(_ bytes: [UInt8], _ data: Data) -> Decoded {
        let file: FileV2
        do {
            file = try JSONDecoder().decode(FileV2.self, from: data)
        } catch {
            return .corrupt(describe(error))
        }
        var positions: [Symbol: Position] = [:]
        for record in file.positions {
            let position = Position(
                symbol: record.symbol, quantity: record.quantity.value,
                averageEntryPrice: record.averageEntryPrice.value, openedAt: record.openedAt)
            guard positions.updateValue(position, forKey: record.symbol) == nil else {
                return .corrupt("position \(record.symbol) appears twice")
            }
        }
        var lastTradeAt: [Symbol: Timestamp] = [:]
        for (key, time) in file.lastTradeAt {
            guard let symbol = Symbol(key) else { return .corrupt("last_trade_at has \"\(key)\", which is not a ticker symbol") }
            lastTradeAt[symbol] = time
        }
        let ledger = TradingStateLedger(chosen: file.chosenTradingState.state, holds: file.tradingHolds.map(\.hold))
        guard ledger.effective == file.tradingState.state else {
            return .corrupt("trading_state does not follow from chosen_trading_state and trading_holds")
        }
        let state = PersistentState(
            positions: positions, realizedPnL: file.realizedPnL.value, lastTradeAt: lastTradeAt, trading: ledger,
            pendingIntents: file.pendingIntents.map(\.intent), lastFlowAlertID: file.lastFlowAlertID,
            processedSignals: file.processedSignals.map { ProcessedSignal(id: $0.id, at: $0.at) })

        guard let bodyEnd = checksumLineStart(in: bytes) else {
            return .corrupt("the checksum is not on a line of its own at the end")
        }
        let expected = checksumPrefix + StateChecksum.hexDigest(of: bytes[..<bodyEnd])
        guard file.checksum == expected else {
            return .corrupt("checksum mismatch: the file says \"\(file.checksum.prefix(80))\", its content hashes to \"\(expected)\"")
        }
        if let violation = state.violation() { return .corrupt(violation) }
        var migrated = state
        if file.schemaVersion < currentSchemaVersion, let last = file.lastFlowAlertID {
            migrated.processedSignals = [ProcessedSignal(id: last, at: file.savedAt)]
        }
        return .valid(migrated, savedAt: file.savedAt, schemaVersion: file.schemaVersion)
    }

    /// Where the checksum covers up to: just after the newline that starts the last `  "checksum": "` line.
    static func checksumLineStart(in bytes: [UInt8]) -> Int? {
        let marker = Array("\n  \"checksum\": \"".utf8)
        guard bytes.count >= marker.count else { return nil }
        var start = bytes.count - marker.count
        while start >= 0 {
            if bytes[start] == marker[0], bytes[start..<start + marker.count].elementsEqual(marker) {
                return start + 1
            }
            start -= 1
        }
        return nil
    }

    /// A decoding error as one line naming the field, e.g. `positions[0].quantity: …`.
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            var text = ""
            for key in codingPath {
                if let index = key.intValue {
                    text += "[\(index)]"
                } else {
                    text += (text.isEmpty ? "" : ".") + key.stringValue
                }
            }
            return text.isEmpty ? "the document" : text
        }
        guard let error = error as? DecodingError else { return "\(error.operatorText)" }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = context.codingPath.isEmpty ? "" : " in \(path(context.codingPath))"
            return "missing field \(key.stringValue)\(parent)"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found something else"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(typeName(type)), found null"
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty { return "not valid JSON: \(context.debugDescription)" }
            return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error.operatorText)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is [Any].Type: "an array"
        case is [String: Any].Type: "an object"
        default: "\(type)"
        }
    }
}

/// Finds which version wrote a state file before decoding the rest.
private struct VersionProbe: Decodable {
    enum Version {
        /// `"schema_version": n` (2 and later).
        case schema(Int)
        /// `"version": n` (the original system's files).
        case original(Int)
    }

    let version: Version

    private enum CodingKeys: String, CodingKey {
        case schemaVersion = "schema_version"
        case version
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.schemaVersion) {
            version = .schema(try container.decode(Int.self, forKey: .schemaVersion))
        } else if container.contains(.version) {
            version = .original(try container.decode(Int.self, forKey: .version))
        } else {
            throw DecodingError.keyNotFound(
                CodingKeys.schemaVersion,
                .init(codingPath: [], debugDescription: "neither schema_version nor version is present"))
        }
    }
}
