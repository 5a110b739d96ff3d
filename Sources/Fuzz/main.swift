import Foundation
import Synchronization
import TestSupport
import TradingCore

// `bulwark-fuzz [--seconds N] [--seed S]`: fuzzes the .env parser (and the configuration load) and the
// state-file decoder for a fixed budget. Exits 0 when no input crashed, hung (one input over 10 s) or
// leaked (resident memory grew by more than 64 MB after the warm-up); a crash prints the input first.

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

print("bulwark-fuzz: seed \(seed), budget \(seconds) s: .env parser + configuration load, state-file decoder")
var fuzzer = Fuzzer(seed: seed, folder: folder)
let report = fuzzer.run(iterations: .max, budget: .seconds(seconds)) { kind, bytes in
    current.withLock { $0 = (kind, bytes, .now) }
}
print("bulwark-fuzz: \(report)")
let growth = report.residentAfter - report.residentBefore
guard growth < 64 << 20 else {
    print("bulwark-fuzz: LEAK: resident memory grew by \(ResourceUsage.megabytes(growth))")
    exit(1)
}
print("bulwark-fuzz: no crash, no hang, no leak")
