import Foundation
import Logging
import Primitives
import TradingModel

/// `state/HALT`: while this file exists trading is halted, whoever created it (`touch state/HALT` from any
/// shell), and it survives restarts. Removing it releases that halt only.
///
/// `KillSwitchWatcher` calls `check()` (or `appeared()`) the moment the file changes; the engine calls it
/// every tick as the fallback, and `SendGate` before every order. It reads one `lstat` and writes the
/// state only on a change.
public struct KillSwitch: Sendable {
    public static let fileName = "HALT"
    /// The reason trading shows while the switch is on.
    public static let reason = "kill switch file state/HALT"

    public let path: String
    private let store: StateStore
    private let logger: Logger

    /// The kill switch in the store's folder.
    public init(store: StateStore, logger: Logger) {
        self.path = store.directory + "/" + Self.fileName
        self.store = store
        self.logger = logger
    }

    /// Whether the file is there (a folder or anything else at that name counts too).
    public var isEngaged: Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Brings the trading state in line with the file: holds trading HALTED while it exists, releases
    /// that hold once it is gone. Returns whether the switch is engaged. If the state cannot be written,
    /// the store still holds the halt in memory (and adds its own `FAILED_STATE` hold).
    @discardableResult
    public func check() -> Bool {
        let engaged = isEngaged
        let held = store.state.trading.isHeld(.killSwitch)
        if engaged, !held {
            logger.warning("kill switch engaged: trading halted", metadata: ["path": "\(path)"])
            try? store.hold(.killSwitch, reason: Self.reason, actor: .operator)
        } else if !engaged, held {
            logger.notice("kill switch removed: its halt is released", metadata: ["path": "\(path)"])
            try? store.release(.killSwitch)
        }
        return engaged
    }

    /// The file was seen to appear (by the folder watch): trading is held at once, durably, even if the
    /// file is already gone again — a HALT that existed for any time at all halts. The next `check()`
    /// releases that hold once the file is gone. Returns whether it was already held.
    @discardableResult
    public func appeared() -> Bool {
        guard !store.state.trading.isHeld(.killSwitch) else { return true }
        logger.warning("kill switch engaged: trading halted", metadata: ["path": "\(path)", "seen_by": "folder watch"])
        try? store.hold(.killSwitch, reason: Self.reason, actor: .operator)
        return false
    }

    /// Creates the file (0600), e.g. for `bulwark halt` from the command line.
    public func engage() throws(StateStoreError) {
        // O_NONBLOCK: a FIFO someone left at the name cannot hang the command (any file there still halts).
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW, 0o600)
        guard fd >= 0 || isEngaged else {
            let code = errno
            throw StateStoreError(code: .writeFailed, message: "cannot create \(path): \(errnoText(code))", errno: code)
        }
        if fd >= 0 { close(fd) }
        try AtomicFile.syncFolder(store.directory, for: path)
        check()
    }
}
