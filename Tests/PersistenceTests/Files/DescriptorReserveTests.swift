import Foundation
import Logging
import Persistence
import Primitives
import TestSupport
import Testing
import TradingModel

/// Running out of file descriptors, made real: a `DescriptorHog` in the test process takes every free one.
/// Serialized: the reserve belongs to the process.
@Suite(.serialized)
struct DescriptorReserveTests {
    /// EMFILE and ENFILE are named as running out of descriptors, with the count and the limit; other
    /// errors keep the system's words.
    @Test func exhaustionIsNamed() {
        DescriptorReserve.process.fill(size: 0)
        let text = SystemError.describe(EMFILE)
        #expect(text.hasPrefix("out of file descriptors ("), "\(text)")
        #expect(text.contains(" open of limit \(DescriptorLimit.current().soft))"), "\(text)")
        #expect(SystemError.describe(ENFILE).contains("the system is out of file descriptors"))
        #expect(SystemError.describe(ENOENT) == "No such file or directory")
        #expect(SystemError.isDescriptorExhaustion(EMFILE) && SystemError.isDescriptorExhaustion(ENFILE))
        #expect(!SystemError.isDescriptorExhaustion(ENOSPC))
    }

    /// The reserve's own look finds the exhaustion before any write meets it: with every descriptor taken
    /// it gives the ballast back at once; with descriptors free it keeps it.
    @Test func exhaustionIsFoundByLooking() {
        let reserve = DescriptorReserve.process
        #expect(reserve.fill(size: 4) == 4)
        #expect(!reserve.releaseIfExhausted())
        #expect(reserve.held == 4)
        let releases = reserve.releases
        let hog = DescriptorHog()
        hog.seize()
        let found = reserve.releaseIfExhausted()
        hog.release()
        #expect(found)
        #expect(reserve.held == 0)
        #expect(reserve.releases == releases + 1)
        #expect(reserve.spentCause?.hasPrefix("out of file descriptors (") == true, "\(reserve.spentCause ?? "-")")
        reserve.fill(size: 0)
    }

    /// The first exhaustion gives the ballast back and tells subscribers why; a second finds it spent; once
    /// descriptors are free the ballast is taken again and subscribers hear of it.
    @Test func ballastIsReleasedThenRetaken() async {
        let reserve = DescriptorReserve.process
        #expect(reserve.fill(size: 4) == 4)
        var changes = reserve.changes().makeAsyncIterator()
        let releases = reserve.releases
        let cause = SystemError.describe(EMFILE)
        #expect(reserve.held == 0)
        #expect(reserve.releases == releases + 1)
        #expect(reserve.spentCause == cause)
        #expect(await changes.next() == .released(count: 4, cause: cause))
        _ = SystemError.describe(EMFILE)
        #expect(reserve.releases == releases + 1, "nothing left to release the second time")
        #expect(reserve.refillIfFree())
        #expect(reserve.held == 4)
        #expect(reserve.spentCause == nil)
        #expect(await changes.next() == .retaken(count: 4))
        reserve.fill(size: 0)
    }

    /// With every descriptor taken, a state write releases the reserve and is tried again at once: it is
    /// written, trading is not held; while the hog still holds the rest, the reserve is not retaken.
    @Test func stateWriteSurvivesExhaustion() throws {
        try withTemporaryDirectory { directory in
            let reserve = DescriptorReserve.process
            reserve.fill(size: DescriptorReserve.standardSize)
            defer { reserve.fill(size: 0) }
            let store = try StateSamples.openStore(directory)
            let releases = reserve.releases
            let hog = DescriptorHog()
            #expect(hog.seize() > 0)
            defer { hog.release() }
            var thrown: StateStoreError?
            do throws(StateStoreError) { try store.update { $0.lastFlowAlertID = "alert-fd" } } catch { thrown = error }
            #expect(thrown == nil, "\(thrown?.message ?? "")")
            #expect(reserve.releases == releases + 1)
            #expect(reserve.spentCause?.hasPrefix("out of file descriptors (") == true)
            #expect(store.writeFailure == nil)
            #expect(!store.state.trading.isHeld(.stateWrite))
            #expect(!reserve.refillIfFree(), "not retaken while descriptors are still short")
            hog.release()
            #expect(reserve.refillIfFree())
            #expect(StateSamples.decodedState(in: directory)?.lastFlowAlertID == "alert-fd")
        }
    }

    /// With no reserve left, the write fails and trading is held FAILED_STATE with a reason that names
    /// running out of descriptors; once they are free the pending write succeeds and the hold is lifted.
    @Test func spentReserveHoldsNamingTheCause() throws {
        try withTemporaryDirectory { directory in
            DescriptorReserve.process.fill(size: 0)
            let store = try StateSamples.openStore(directory)
            let hog = DescriptorHog()
            #expect(hog.seize() > 0)
            defer { hog.release() }
            let error = #expect(throws: StateStoreError.self) { try store.update { $0.lastFlowAlertID = "alert-fd" } }
            #expect(error?.message.contains("out of file descriptors (") == true, "\(error?.message ?? "")")
            let held = store.tradingState
            #expect(held.mode == .halted)
            #expect(held.reason?.hasPrefix("FAILED_STATE") == true)
            #expect(held.reason?.contains("out of file descriptors (") == true, "\(held.reason ?? "")")
            #expect(held.reason?.contains("Too many open files") == false)
            hog.release()
            #expect(try store.retryPendingWrite())
            #expect(!store.state.trading.isHeld(.stateWrite))
        }
    }
}
