import Primitives

extension OrderJournal.WriteError: OperatorError {
    public var errorCode: String { "journal.write_failed" }
}

extension LogFile.OpenError: OperatorError {
    public var errorCode: String { "log.open_failed" }
}
