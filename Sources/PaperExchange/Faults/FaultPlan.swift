/// The faults still to produce, in the order they were added. Pure; the server keeps one behind a lock.
struct FaultPlan: Sendable {
    private(set) var pending: [Fault] = []

    mutating func add(_ fault: Fault) {
        guard fault.count > 0 else { return }
        pending.append(fault)
    }

    mutating func clear() {
        pending.removeAll()
    }

    /// The fault for the next response of `route`, used up by one; `nil` when none applies.
    mutating func take(for route: String) -> Fault.Kind? {
        guard let index = pending.firstIndex(where: { $0.matches(route) }) else { return nil }
        let kind = pending[index].kind
        pending[index].count -= 1
        if pending[index].count == 0 { pending.remove(at: index) }
        return kind
    }
}
