import Foundation
import TestSupport
import Testing

@testable import MarketClients
import Primitives
import TradingModel

struct ChaosTransportTests {
    private let account = #"{"id":"a","status":"ACTIVE","currency":"USD","cash":"1","equity":"2","buying_power":"3"}"#

    private func setup(_ modes: [ChaosMode], target: ChaosTransport.Target = .broker, locked: Bool = false)
        -> (FakeTransport, ChaosTransport, ChaosSwitchboard, ManualClock)
    {
        let inner = FakeTransport(responses: [.success(.json(200, account))])
        let switchboard = ChaosSwitchboard(locked: locked, initial: modes, logger: LogCapture().logger)
        let clock = ManualClock()
        return (inner, ChaosTransport(wrapping: inner, switchboard: switchboard, target: target, clock: clock), switchboard, clock)
    }

    private func request() -> HTTPRequest {
        HTTPRequest(method: "GET", url: URL(string: "http://127.0.0.1:9/v2/account")!, headers: [("APCA-API-KEY-ID", "PKREAL"), ("APCA-API-SECRET-KEY", "REALSECRET")], endpoint: "GET /v2/account")
    }

    /// With no mode on, requests pass untouched.
    @Test func absentWhenOff() async throws {
        let (inner, chaos, _, _) = setup([])
        let response = try await chaos.send(request(), timeout: .seconds(1))
        #expect(response.status == 200)
        #expect(inner.requests.first?.header("APCA-API-SECRET-KEY") == "REALSECRET")
    }

    /// alpaca_down refuses connections to Alpaca but not to the flow API; uw_down the reverse.
    @Test func downModes() async throws {
        let (inner, chaos, _, _) = setup([.alpacaDown])
        await #expect(throws: TransportError(.connectionRefused, "chaos: alpaca_down")) { try await chaos.send(request(), timeout: .seconds(1)) }
        #expect(inner.requests.isEmpty)
        let (_, flow, _, _) = setup([.alpacaDown], target: .flow)
        #expect(try await flow.send(request(), timeout: .seconds(1)).status == 200)
        let (_, uw, _, _) = setup([.uwDown], target: .flow)
        await #expect(throws: TransportError.self) { try await uw.send(request(), timeout: .seconds(1)) }
    }

    /// invalid_creds sends deliberately wrong keys, so the server answers 403 for real.
    @Test func invalidCredentials() async throws {
        let (inner, chaos, _, _) = setup([.invalidCreds])
        _ = try await chaos.send(request(), timeout: .seconds(1))
        #expect(inner.requests.first?.header("APCA-API-KEY-ID") == ChaosTransport.invalidCredential)
        #expect(inner.requests.first?.header("APCA-API-SECRET-KEY") == ChaosTransport.invalidCredential)
    }

    /// rate_limit answers 429 with reset headers without reaching the server.
    @Test func rateLimit() async throws {
        let (inner, chaos, _, _) = setup([.rateLimit])
        let response = try await chaos.send(request(), timeout: .seconds(1))
        #expect(response.status == 429)
        #expect(response.header("X-Ratelimit-Reset") != nil)
        #expect(inner.requests.isEmpty)
    }

    /// latency delays each request on the clock, then lets it through.
    @Test func latency() async throws {
        let (inner, chaos, _, clock) = setup([.latency])
        let request = request()
        let task = Task { try await chaos.send(request, timeout: .seconds(5)) }
        #expect(await clock.waitForSleepers(), "nothing slept on the clock")
        #expect(inner.requests.isEmpty)
        clock.advance(by: ChaosTransport.addedLatency)
        #expect(try await task.value.status == 200)
    }

    /// schema_drift drops a required field, which the client reports as a SCHEMA error naming it.
    @Test func schemaDrift() async {
        let (_, chaos, _, _) = setup([.schemaDrift])
        let requester = makeRequester(chaos)
        await #expect {
            try await requester.get("/v2/account", as: AlpacaAccount.self)
        } throws: { error in
            let error = error as? APIError
            return error?.errorClass == .schema && error?.message.hasPrefix("missing required field") == true
        }
    }

    /// Toggles are events; a locked switchboard (live broker) refuses every toggle.
    @Test func switchboard() async throws {
        let bus = EventBus(clock: ManualClock())
        let events = bus.subscribe(name: "test")
        let switchboard = ChaosSwitchboard(locked: false, bus: bus, logger: LogCapture().logger)
        #expect(try switchboard.set(.latency, on: true))
        #expect(try !switchboard.set(.latency, on: true))
        #expect(try switchboard.set(.latency, on: false))
        bus.finish()
        var toggles: [Bool] = []
        for await event in events { if case .chaosMode(.latency, let on) = event.kind { toggles.append(on) } }
        #expect(toggles == [true, false])
        let live = ChaosSwitchboard(locked: true, logger: LogCapture().logger)
        #expect(throws: ChaosSwitchboard.Refusal.self) { try live.set(.alpacaDown, on: true) }
        #expect(live.activeModes.isEmpty)
    }

    /// The compatibility check maps AUTH to FAILED_CONFIG and SCHEMA to FAILED_API_SCHEMA.
    @Test func compatibilityReasons() {
        func report(_ classes: [APIErrorClass]) -> CompatibilityCheck.Report {
            CompatibilityCheck.Report(lines: classes.map { CompatibilityCheck.Line(endpoint: "x", result: .failure(APIError(kind: .failure($0), api: "a", endpoint: "x", message: "m"))) })
        }
        #expect(report([.schema, .auth]).failureReason == .config)
        #expect(report([.network, .schema]).failureReason == .apiSchema)
        #expect(report([.network]).failureReason == nil)
        #expect(!report([.network]).passed)
        #expect(CompatibilityCheck.Report(lines: [CompatibilityCheck.Line(endpoint: "x", result: .success("ok"))]).passed)
    }

    /// The modes that cut Alpaca's streams: stream_drop, alpaca_down and invalid_creds (the broker ends the
    /// sessions of keys it refuses, so the engine meets the refusal over REST at its next tick); the others
    /// leave the streams up.
    @Test func modesThatCutTheStreams() {
        for mode in ChaosMode.allCases {
            let switchboard = ChaosSwitchboard(locked: false, initial: [mode], logger: LogCapture().logger)
            let cuts: Set<ChaosMode> = [.streamDrop, .alpacaDown, .invalidCreds]
            #expect(switchboard.streamCut == (cuts.contains(mode) ? mode : nil), "\(mode)")
        }
        #expect(ChaosSwitchboard(locked: false, logger: LogCapture().logger).streamCut == nil)
    }
}
