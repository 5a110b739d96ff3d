import ExchangeFuzzing
import Foundation
import Primitives
import Synchronization
import TestSupport

// `bulwark-fuzz [--seconds N] [--seed S]`: fuzzes the .env parser (and the configuration load), the
// state-file decoder and the paper exchange's order-body path (its strict JSON reader, then the order
// request's validation) for a fixed budget, the three in turn. Exits 0 when no input crashed, hung (one
// input over 10 s), leaked (resident memory grew by more than 64 MB after the warm-up) or broke a promise
// of the order-body reader; a crash prints the input first.

var seconds = 60
var seed = UInt64(19)
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--seconds": seconds = Int(arguments.popFirst() ?? "") ?? seconds
    case "--seed": seed = UInt64(arguments.popFirst() ?? "") ?? seed
    default:
        FileHandle.standardError.write(Data("usage: bulwark-fuzz [--seconds N] [--seed S]\n".utf8))
        exit(64)
    }
}

let folder = NSTemporaryDirectory() + "/bulwark-fuzz-\(getpid())"
try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
defer { try? FileManager.default.removeItem(atPath: folder) }

/// The order bodies of the contract samples (Tests/PaperExchangeTests/Fixtures, found from this source
/// file's path, so `make fuzz` in the clone finds them), as extra seeds for the order-body target.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests/PaperExchangeTests/Fixtures")
let orderSeeds = ["order_request.json", "order.json"].compactMap { try? Array(Data(contentsOf: fixtures.appendingPathComponent($0))) }

/// The input in flight and when it started, for the hang watchdog.
let current = Mutex<(kind: String, bytes: [UInt8], started: ContinuousClock.Instant)>(("", [], .now))
let watchdog = Thread {
    while true {
        Thread.sleep(forTimeInterval: 1)
        let (kind, bytes, started) = current.withLock { $0 }
        if ContinuousClock.now - started > .seconds(10) {
            FileHandle.standardError.write(Data("bulwark-fuzz: HANG: one \(kind) input ran over 10 s; input (base64): \(Data(bytes).base64EncodedString())\n".utf8))
            exit(1)
        }
    }
}
watchdog.start()

print(
    "bulwark-fuzz: seed \(seed), budget \(seconds) s: .env parser + configuration load, state-file decoder, "
        + "order body (exchange JSON reader + order validation; \(orderSeeds.count) contract samples as seeds)")
var fuzzer = Fuzzer(seed: seed, folder: folder, targets: [OrderBodyTarget.target(seeds: orderSeeds)])
let report = fuzzer.run(iterations: .max, budget: .seconds(seconds)) { kind, bytes in
    current.withLock { $0 = (kind, bytes, .now) }
}
print("bulwark-fuzz: \(report)")
var failed = false
if report.failureCount > 0 {
    print("bulwark-fuzz: \(report.failureCount) broken promises; the first:")
    for failure in report.failures { print("  \(failure)") }
    failed = true
}
let growth = report.residentAfter - report.residentBefore
if growth >= 64 << 20 {
    print("bulwark-fuzz: LEAK: resident memory grew by \(ResourceUsage.megabytes(growth))")
    failed = true
}
if failed { exit(1) }
print("bulwark-fuzz: no crash, no hang, no leak, no broken promise")
