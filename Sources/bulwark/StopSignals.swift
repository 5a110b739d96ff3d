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

/// A service that turns a stop signal caught by `StopSignals`' handler into the group's graceful shutdown:
/// it returns (run it with `.gracefullyShutdownGroup`) as soon as one is recorded, otherwise it waits for
/// the shutdown like every other service. It keeps looking after the start, not only once: the group's
/// signal sources (libdispatch on Linux reads signals through a `signalfd`) see only a signal delivered
/// to a thread that blocks it; one that lands on any other thread still runs the recording handler, and
/// would otherwise be recorded and never honoured (SIGTERM in the first milliseconds left a clean-clone
/// CI run waiting out its 60 s).
struct EarlyStop: Service {
    static var configuration: ServiceGroupConfiguration.ServiceConfiguration {
        .init(service: EarlyStop(), successTerminationBehavior: .gracefullyShutdownGroup)
    }

    /// How often a recorded signal is looked for: a stop is honoured within this.
    static let look = Duration.milliseconds(100)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while StopSignals.recorded == nil {
                try await Task.sleep(for: Self.look)
            }
        }
    }
}
