import Foundation
import TestSupport
import Testing

/// The vital signs of a real instance (`bulwark run --headless` on the embedded exchange), as an attached
/// console shows them through the control socket.
@Suite(.serialized)
struct VitalSignsEndToEndTests {
    /// The strip fills with real figures (the exchange's equity, cash and buying power, a heartbeat, the
    /// APIs' latency); with the instance stopped (SIGSTOP) the heartbeat's age passes its threshold and is
    /// marked `!`, and on SIGCONT it comes back.
    @Test func attachedConsoleShowsVitalsAndAStall() async throws {
        let folder = TemporaryFolder()
        let binary = try await AttachTests.headless(in: folder.path)
        let terminal = try await AttachTests.attach(in: folder.path)
        let live = try await terminal.waitFor("the vital signs strip with figures", within: 20) { screen in
            let money = screen.lines.first { $0.contains(" Eq ") && $0.contains("Cash ") && $0.contains("BP ") }
            let ages = screen.lines.first { $0.contains("Exp ") && $0.contains(" hb ") }
            guard let money, let ages else { return false }
            return money.range(of: #"Eq \d+\.\d\d"#, options: .regularExpression) != nil
                && ages.range(of: #" hb \d+s "#, options: .regularExpression) != nil
                && ages.range(of: #"API [\d.]+m?s"#, options: .regularExpression) != nil
        }
        #expect(!live.contains("Vital signs: waiting"), "\(live)")
        binary.send(SIGSTOP)
        let stalled = try await terminal.waitFor("the heartbeat age marked stale", within: 25) { screen in
            screen.lines.contains { $0.range(of: #" hb \d+s!"#, options: .regularExpression) != nil }
        }
        #expect(stalled.lines.contains { $0.contains("Exp ") }, "\(stalled)")
        binary.send(SIGCONT)
        try await terminal.waitFor("a fresh heartbeat again", within: 20) { screen in
            screen.lines.contains { $0.range(of: #" hb \ds "#, options: .regularExpression) != nil }
        }
        try await AttachTests.stop(binary)
    }
}
