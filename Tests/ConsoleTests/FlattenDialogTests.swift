import Testing

@testable import Console

struct FlattenDialogTests {
    /// The flatten dialog says that trading stays REDUCING until the operator resumes.
    @Test func dialogSaysReducingUntilResumed() {
        let dialog = Dialog.flattenAll(positions: 2)
        #expect(dialog.lines.contains { $0.contains("REDUCING") && $0.contains("until you resume") }, "\(dialog.lines)")
    }
}
