import Foundation
@testable import Settings
import TestSupport

enum ConfigurationFixture {
    static func load(
        env: [String: String] = [:], dotEnv: String? = nil, live: Bool = false, overrides: [String: String] = [:],
        envFile: String? = nil
    ) -> Result<BulwarkConfiguration.Loaded, ConfigurationError> {
        let folder = TemporaryFolder()
        if let dotEnv { folder.write(".env", dotEnv) }
        let inputs = ConfigurationInputs(
            environment: env, workingDirectory: folder.path, envFile: envFile, live: live, overrides: overrides)
        return Result { () throws(ConfigurationError) in try BulwarkConfiguration.load(inputs) }
    }

    static func problems(env: [String: String] = [:], dotEnv: String? = nil, live: Bool = false) -> [ConfigurationError.Problem] {
        switch load(env: env, dotEnv: dotEnv, live: live) {
        case .success: []
        case .failure(let error): error.problems
        }
    }

    static let paperKeys = [
        "APCA_API_KEY_ID": "PKTESTKEY0000001234",
        "APCA_API_SECRET_KEY": "SECRETSECRETSECRET98765",
        "UW_API_TOKEN": "uw-token-0000000000abcd",
    ]
}
