import Foundation
@testable import Settings
import TestSupport
import Testing

/// Hostile `.env` files and values: secrets never shown, bounded reads, strict numbers and quotes.
struct HostileConfigurationTests {
    private static func problems(env: [String: String] = [:], dotEnv: String? = nil) -> [ConfigurationError.Problem] {
        ConfigurationFixture.problems(env: env, dotEnv: dotEnv)
    }

    /// A secret with a line break, carriage return, NUL, tab, space, DEL or a non-ASCII character, or of an
    /// absurd length, is refused at load, and the refusal shows no part of it.
    @Test(arguments: [
        "supersecret\nvalue9876", "supersecret\rvalue9876", "supersecret\u{0}value9876", "supersecret\tvalue9876",
        "supersecret value9876", "supersecret\u{7F}value9876", "supersecrétvalue9876", "short", String(repeating: "S", count: 300),
    ])
    func controlCharactersInSecretsAreRefused(secret: String) {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_SECRET_KEY"] = secret
        let found = Self.problems(env: env)
        #expect(found.map(\.variable) == ["APCA_API_SECRET_KEY"], "\(found)")
        let text = found.map(\.description).joined(separator: "\n")
        #expect(!text.contains("supersecret") && !text.contains("value9876") && !text.contains("SSSSSSSS"), "\(text)")
    }

    /// A malformed line naming a secret variable is reported without its text, even when the secret is
    /// set correctly elsewhere in the file.
    @Test func malformedLineNamingASecretIsNotEchoed() {
        let found = Self.problems(dotEnv: "APCA_API_SECRET_KEY supersecretvalue9876\nAPCA_API_SECRET_KEY=supersecretvalue9876\n")
        let text = found.map(\.description).joined(separator: "\n")
        #expect(found.contains { $0.variable == ".env line 1" }, "\(found)")
        #expect(!text.contains("supersecretvalue"), "\(text)")
    }

    /// A malformed line that holds a known secret's value (set in the environment) is not echoed.
    @Test func malformedLineHoldingASecretValueIsNotEchoed() {
        var env = ConfigurationFixture.paperKeys
        env["APCA_API_SECRET_KEY"] = "ZZsupersecretvalue9876"
        let found = Self.problems(env: env, dotEnv: "PASTE ZZsupersecretvalue9876\n")
        let text = found.map(\.description).joined(separator: "\n")
        #expect(found.contains { $0.variable == ".env line 1" }, "\(found)")
        #expect(!text.contains("supersecretvalue"), "\(text)")
    }

    /// A URL with a user and password, a query or a fragment is refused and shown without them.
    @Test(arguments: [
        "https://user:hunter2secret@paper-api.alpaca.markets/v2", "https://paper-api.alpaca.markets/v2?key=hunter2secret",
        "https://paper-api.alpaca.markets/v2#hunter2secret",
    ])
    func urlsWithCredentialsAreShownWithoutThem(url: String) {
        let found = Self.problems(env: ["APCA_API_BASE_URL": url])
        let text = found.map(\.description).joined(separator: "\n")
        #expect(found.map(\.variable) == ["APCA_API_BASE_URL"], "\(found)")
        #expect(!text.contains("hunter2secret") && !text.contains("user:"), "\(text)")
        #expect(text.contains("paper-api.alpaca.markets"), "\(text)")
    }

    /// Whole numbers are [0-9]+: a sign, spaces, hex or other digits are refused.
    @Test(arguments: ["+80", " 80", "80 ", "0x50", "８０", "8_0", "1e2"])
    func wholeNumbersAreDigitsOnly(value: String) {
        #expect(Self.problems(env: ["DASHBOARD_PORT": value]).map(\.variable) == ["DASHBOARD_PORT"])
    }

    /// Spaces inside quotes around a value are an error, not trimmed.
    @Test(arguments: ["MAX_POSITION_SIZE_USD=\" 500 \"", "MAX_POSITION_SIZE_USD=' 500'", "MIN_COOLDOWN_MINUTES=\"5 \""])
    func spacesInsideQuotesAreRefused(line: String) {
        let found = Self.problems(dotEnv: line + "\n")
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains("space") == true, "\(found)")
    }

    /// A 10 MB value is echoed cut to 64 characters, not in full.
    @Test func hugeValuesAreEchoedCut() {
        let found = Self.problems(env: ["MAX_POSITION_SIZE_USD": String(repeating: "x", count: 10_000_000)])
        let text = found.map(\.description).joined(separator: "\n")
        #expect(found.map(\.variable) == ["MAX_POSITION_SIZE_USD"])
        #expect(text.count < 400, "the problem is \(text.count) characters long")
        #expect(text.contains(String(repeating: "x", count: 64)) && !text.contains(String(repeating: "x", count: 65)))
    }

    /// A `.env` file over 1 MiB is refused from its size, with a message naming the file and the limit.
    @Test func envFileOverOneMiBIsRefused() {
        let found = Self.problems(dotEnv: "BULWARK_THEME=" + String(repeating: "a", count: 2 << 20) + "\n")
        let text = found.map(\.description).joined(separator: "\n")
        #expect(found.map(\.variable) == [".env"], "\(text.prefix(300))")
        #expect(text.contains(".env") && text.contains("1 MiB"), "\(text.prefix(300))")
    }

    /// A FIFO given as the env file is refused at once, naming the path and what it is, never read.
    @Test func envFileThatIsAFIFODoesNotBlock() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/hostile.env"
        makeFIFO(path)
        let result = finishing(within: 10, unblock: { releaseFIFOReader(path) }) { () -> String? in
            switch ConfigurationFixture.load(envFile: path) {
            case .success: nil
            case .failure(let error): error.description
            }
        }
        let outcome = try #require(result, "BulwarkConfiguration.load blocked on the FIFO for 10 s")
        let text = try #require(outcome, "a FIFO env file was accepted")
        #expect(text.contains(path) && text.contains("named pipe"), "\(text)")
    }

    /// A folder given as the env file is refused naming the path and what it is.
    @Test func envFileThatIsAFolderIsRefused() {
        let folder = TemporaryFolder()
        guard case .failure(let error) = ConfigurationFixture.load(envFile: folder.path) else {
            Issue.record("a folder env file was accepted")
            return
        }
        #expect(error.description.contains(folder.path) && error.description.contains("folder"), "\(error)")
    }
}
