import Persistence
import Primitives
// state-crash-probe: saves the trading state in a tight loop until it is killed. Used by the crash test
// (PersistenceTests/StateCrashTests), which SIGKILLs it at random moments and checks that the file it
// leaves is always one complete state.
//
// Usage: state-crash-probe <state-folder> [positions]
//
// Every save n writes: realized PnL = n, AAPL quantity = n, last flow alert id = "probe-<pid>-<n>", and
// `positions` other positions; so a reader can tell a complete state from a mixed one. n continues from
// the state found at start.
import Foundation
import Logging

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: state-crash-probe <state-folder> [positions]\n".utf8))
    exit(64)
}
let extraPositions = arguments.count >= 3 ? Int(arguments[2]) ?? 20 : 20
let logger = Logger(label: "state-crash-probe", factory: { _ in SwiftLogNoOpLogHandler() })
let store: StateStore
do {
    store = try StateStore(directory: arguments[1], logger: logger)
} catch {
    FileHandle.standardError.write(Data("state-crash-probe: \(error)\n".utf8))
    exit(1)
}
let pid = getpid()
let aapl = Symbol("AAPL")!
let start = SystemClock().now
var counter = NSDecimalNumber(decimal: store.state.realizedPnL).intValue
while true {
    counter += 1
    let n = counter
    do {
        try store.update { state in
            state.realizedPnL = Decimal(n)
            state.lastFlowAlertID = "probe-\(pid)-\(n)"
            state.positions[aapl] = Position(symbol: aapl, quantity: Decimal(n), averageEntryPrice: 100, openedAt: start)
            for index in 0..<extraPositions {
                let symbol = Symbol("P\(index)")!
                state.positions[symbol] = Position(
                    symbol: symbol, quantity: Decimal(n + index), averageEntryPrice: Decimal(index + 1), openedAt: start)
            }
        }
    } catch {
        FileHandle.standardError.write(Data("state-crash-probe: \(error)\n".utf8))
        exit(2)
    }
}
