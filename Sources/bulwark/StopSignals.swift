import Foundation
import ServiceLifecycle
import Synchronization

/// Stop signals (SIGTERM, SIGINT, SIGHUP) from the first instruction of `main`, before the service
/// group installs its own handling: a signal in the first milliseconds is recorded, not fatal, and
/// honoured as a graceful stop as soon as the services are up (`EarlyStop`). Commands without a service
/// group exit at once with 128 + the signal number instead of being killed by it.
enum StopSignals {
    static let handled: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// The signal received before anyone else handled signals; 0 for none.
    private static let received = Atomic<Int32>(0)

    /// The recorded signal, if one arrived early.
    static var recorded: Int32? {
        let value = received.load(ordering: .acquiring)
        return value == 0 ? nil : value
    }

    /// The first thing `main` does: record stop signals instead of dying by them.
    static func record() {
        for signal in handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in StopSignals.received.store(number, ordering: .releasing) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            sigaction(signal, &action, nil)
        }
    }

    /// For commands that run no service group: a stop signal exits at once (128 + its number), and one
    /// already recorded does so now.
    static func exitOnSignal() {
        for signal in handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in _exit(128 + number) }
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }
        if let signal = recorded { _exit(128 + signal) }
    }
}

/// A service that turns a stop signal received before the service group trapped signals into the
/// group's graceful shutdown: it returns at once when one was recorded (run it with
/// `.gracefullyShutdownGroup`), otherwise it waits for the shutdown like every other service.
struct EarlyStop: Service {
    static var configuration: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: EarlyStop(), successTerminationBehavior: .gracefullyShutdownGroup)
    }

    func run() async throws {
        if StopSignals.recorded != nil { return }
        try? await gracefulShutdown()
    }
}
