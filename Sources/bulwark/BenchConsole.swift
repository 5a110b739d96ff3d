import ArgumentParser
import Benchmarks
import Console
import Foundation
import Primitives

/// `bulwark bench console`: frame build and diff times for the busy fixture at 80×24 and 200×60, then
/// the bytes per second written to the terminal and the CPU share of `bulwark run` in steady state.
struct BenchConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Time console frames (build and diff) and measure bulwark run's terminal output and CPU at rest.",
        discussion: """
            Goals: p99 under 500 µs to build and diff a frame of 100 positions and 200 rejections at 200×60; in \
            steady state on the embedded exchange at 80×24, under 2000 bytes/s written to the terminal and under \
            1% of one core. The second half needs tmux: it runs this binary as `bulwark run --dashboard-port 0` in a \
            fresh temporary folder inside a private tmux server and, beside it in the same server and over the same \
            window, a reference program (`htop` unless --reference says otherwise; skipped, and said, when it is not \
            installed), and prints both programs' figures and their ratios.
            """)

    @Option(help: "Frames to build and diff at each size.") var iterations = 2000
    @Option(help: ArgumentHelp("Seconds to let bulwark run settle before measuring.", valueName: "n")) var warmup = 10
    @Option(help: ArgumentHelp("Seconds to measure the terminal output and CPU over.", valueName: "n")) var seconds = 30
    @Option(help: ArgumentHelp("The program measured beside bulwark, at the same size ('none' for none).", valueName: "program"))
    var reference = "htop"
    @Flag(help: .hidden) var demo = false

    static let sizes = [(width: 80, height: 24), (width: 200, height: 60)]
    static let positions = 100
    static let rejections = 200

    func validate() throws {
        guard iterations >= 10 else { throw ValidationError("--iterations must be at least 10") }
        guard (0...3600).contains(warmup) else { throw ValidationError("--warmup must be 0–3600") }
        guard (1...3600).contains(seconds) else { throw ValidationError("--seconds must be 1–3600") }
    }

    func run() async throws {
        guard let tmux = TerminalOutputBenchmark.findTmux() else {
            Terminal.printError("bench console: tmux not found on PATH; install it (make deps) to measure the terminal output")
            throw ExitCode.failure
        }
        print("bench console: load average \(Self.loadAverage()) on \(ProcessInfo.processInfo.activeProcessorCount) cores (wall-clock p99 includes time other processes had the core)")
        print("bench console: \(iterations) frames of \(Self.positions) positions and \(Self.rejections) rejections at each size, each built and diffed against the previous one")
        let models = FrameBenchmark.models(positions: Self.positions, rejections: Self.rejections)
        for size in Self.sizes {
            let result = FrameBenchmark.run(iterations: iterations, width: size.width, height: size.height, models: models)
            let label = "frame \(size.width)x\(size.height)".padding(toLength: 14, withPad: " ", startingAt: 0)
            print(label + "build       " + Self.percentiles(result.build))
            print(label + "diff        " + Self.percentiles(result.diff))
            print(label + "build+diff  " + Self.percentiles(result.total) + (size.width == 200 ? " (goal p99 < 500 µs)" : ""))
            print(label + "cpu time    " + Self.percentiles(result.totalCPU) + " (build+diff on this thread's CPU clock)")
            print(label + String(format: "changes     %.0f cells in %.1f runs per diff", result.cellsPerDiff, result.runsPerDiff))
        }

        let arguments = demo ? ["console-demo", "--seconds", "\(warmup + seconds + 60)"] : ["run", "--dashboard-port", "0"]
        var referenceCommand: [String]?
        if reference != "none" {
            if let program = TerminalOutputBenchmark.find(reference) {
                referenceCommand = [program]
            } else {
                print("bench console: \(reference) is not installed (apt-get install \(reference)): no comparison")
            }
        }
        print("bench console: bulwark \(arguments.joined(separator: " ")) at 80x24 in tmux, \(warmup) s warm-up, \(seconds) s measured"
            + (referenceCommand == nil ? "" : ", beside \(reference) at 80x24 in the same tmux server"))
        let comparison: TerminalOutputBenchmark.Comparison
        do {
            comparison = try await TerminalOutputBenchmark.compare(
                tmux: tmux, executable: TerminalOutputBenchmark.ownExecutable(), arguments: arguments,
                reference: referenceCommand, warmup: .seconds(warmup), window: .seconds(seconds))
        } catch let failure as TerminalOutputBenchmark.Failure {
            fflush(nil)  // the figures so far, before the error
            Terminal.printError("bench console: \(failure.description)")
            let screen = failure.screen.split(separator: "\n", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if !screen.isEmpty {
                Terminal.printError("the pane showed:")
                for line in screen { Terminal.printError("  \(line)") }
            }
            throw ExitCode.failure
        }
        let result = comparison.bulwark
        print(String(format: "terminal      %.0f bytes/s (goal < 2000): %d bytes in %.1f s", result.bytesPerSecond, result.bytes, result.window.seconds))
        print(String(format: "cpu           %.2f%% of one core (goal < 1%%): %.2f s in %.1f s", result.cpuShare * 100, result.cpuSeconds, result.window.seconds))
        print(result.quitCleanly ? "quit          q s" : "quit          q s did not end it; stopped with a signal")
        if let other = comparison.reference {
            let name = reference
            print(String(format: "\(name) terminal %.0f bytes/s: %d bytes in %.1f s", other.bytesPerSecond, other.bytes, other.window.seconds))
            print(String(format: "\(name) cpu      %.2f%% of one core: %.2f s in %.1f s", other.cpuShare * 100, other.cpuSeconds, other.window.seconds))
            print("ratio         bulwark/\(name): bytes/s \(Self.ratio(result.bytesPerSecond, other.bytesPerSecond)), "
                + "cpu \(Self.ratio(result.cpuShare, other.cpuShare)) (bulwark's figure includes the whole service in its process)")
        }
    }

    /// `a / b` to two places, or "n/a" when `b` is zero.
    static func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2f", a / b) : "n/a (\(b == 0 ? "zero" : "negative") reference)" }

    private static func percentiles(_ figures: FrameBenchmark.Percentiles) -> String {
        String(format: "p50 %7.1f µs   p99 %7.1f µs", microseconds(figures.p50), microseconds(figures.p99))
    }

    /// The 1-minute load average from /proc/loadavg, or "unknown".
    private static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.map(String.init) ?? "unknown"
    }

    private static func microseconds(_ duration: Duration) -> Double { Double(duration.nanoseconds) / 1000 }
}
