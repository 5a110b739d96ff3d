/// A reader `Fuzzer` drives that lives outside this module (the paper exchange's order-body path, in
/// `ExchangeFuzzing`): what its inputs start from, the tokens spliced into them, and how one is tried.
public struct FuzzTarget: Sendable {
    /// What one input came to: the stages it passed (counted in the report) and the promises it broke
    /// (each a failure of the run).
    public struct Verdict: Sendable {
        public var passed: [String]
        public var problems: [String]

        public init(passed: [String] = [], problems: [String] = []) {
            self.passed = passed
            self.problems = problems
        }
    }

    public var name: String
    /// The stages `check` reports, in the order the report lists them.
    public var stages: [String]
    /// Valid inputs, mutated.
    public var samples: [[UInt8]]
    /// Hostile inputs, tried as they are and mutated.
    public var hostile: [[UInt8]]
    public var dictionary: [String]
    public var check: @Sendable ([UInt8]) -> Verdict

    public init(
        name: String, stages: [String], samples: [[UInt8]], hostile: [[UInt8]] = [], dictionary: [String] = [],
        check: @escaping @Sendable ([UInt8]) -> Verdict
    ) {
        self.name = name
        self.stages = stages
        self.samples = samples
        self.hostile = hostile
        self.dictionary = dictionary
        self.check = check
    }
}
