import Settings
import Testing

struct DashboardPortTests {
    /// `DASHBOARD_PORT=any` (any case) asks for a port the system chooses; a number is still that port.
    @Test(arguments: [("any", BulwarkConfiguration.anyDashboardPort), ("ANY", BulwarkConfiguration.anyDashboardPort), ("8788", 8788)])
    func anyPort(value: String, port: Int) throws {
        let configuration = try ConfigurationFixture.load(env: ["DASHBOARD_PORT": value]).get().configuration
        #expect(configuration.dashboardPort == port)
    }
}
