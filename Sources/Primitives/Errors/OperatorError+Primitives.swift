extension PrivateDirectory.Failure: OperatorError {
    public var errorCode: String { "folder.unusable" }
}

extension DirectoryLock.Held: OperatorError {
    public var errorCode: String { "state.locked" }
}
