// swift-tools-version: 6.2
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    // Bulwark's own targets build with no warning: any warning fails the build (dependencies are untouched).
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "Bulwark",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bulwark", targets: ["bulwark"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Already in the graph through async-http-client (swift-certificates); gives the state file's SHA-256.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        // Hummingbird's request and response types; the servers name them, so they declare them.
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        // The paper exchange's streams (Alpaca's trading and market-data websockets), and their client in tests.
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
    ],
    targets: [
        // Linked by name (module.modulemap), not through pkg-config: ncursesw's .pc file carries
        // -D_DEFAULT_SOURCE and -D_XOPEN_SOURCE=600, which SwiftPM warns about on every build; shim.h sets
        // what the wide-character API needs itself.
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        // The target graph, bottom up (the README draws it):
        //   Primitives      value types, time, files, secrets — no trading knowledge
        //   TradingModel    the model every view shares: events and their bus, orders at a broker, commands,
        //                   health reports, chaos switches
        //   RiskGuard       the pure trade guard          Strategies   the strategy protocol and flow-following
        //   Persistence     state store, journal, kill switch, reconciler, log files
        //   Settings        the validated configuration (.env, environment)
        //   Engine          the trading loop, executor, trading controller and command queue
        //   Supervision     supervisor, health registry, heartbeat, status board
        //   Assembly        the wiring of one process      ChaosRehearsal   `bulwark chaos-test`
        //   Benchmarks      the measured pieces `bulwark bench` runs
        .target(
            name: "Primitives",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "TradingModel",
            dependencies: [
                "Primitives",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "RiskGuard",
            dependencies: ["Primitives", "TradingModel"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Strategies",
            dependencies: ["Primitives"],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Persistence",
            dependencies: [
                "Primitives", "TradingModel",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Settings",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies",
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Engine",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Supervision",
            dependencies: [
                "Primitives", "TradingModel", "Persistence", "Engine",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The wiring of one Bulwark process (the core, its clients, the embedded exchange, the dashboard)
        // as a library: the executable's commands, the chaos rehearsal and the pipeline benchmark build it.
        .target(
            name: "Assembly",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings", "Engine", "Supervision",
                "MarketClients", "PaperExchange", "Dashboard",
                // The market recorder (RECORD_MARKET) writes the replay's recording format.
                "Replay",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `bulwark chaos-test`: every chaos mode rehearsed against a fresh embedded exchange, each checked
        // against the chaos contract.
        .target(
            name: "ChaosRehearsal",
            dependencies: [
                "Primitives", "TradingModel", "Persistence", "Settings", "Engine", "Supervision", "MarketClients", "PaperExchange",
                "Assembly", "Console",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Benchmarks",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings", "Engine", "MarketClients",
                "PaperExchange", "Assembly",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `bulwark record` and `bulwark replay`: the market recording format, and the live strategy, guard,
        // executor and state store run over a recording with the paper exchange's book as the broker.
        .target(
            name: "Replay",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings", "Engine", "PaperExchange",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // What the dashboard and the paper exchange share as loopback HTTP servers: the connection roster
        // that sheds the quietest connection, and a stop that is always graceful.
        .target(
            name: "HTTPServing",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "MarketClients",
            dependencies: [
                "Primitives", "TradingModel", "Strategies", "Settings",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The trading stream's client (order updates pushed over a websocket).
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PaperExchange",
            dependencies: [
                "Primitives",
                "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "Primitives", "TradingModel",
                "HTTPServing",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "ControlPlane",
            dependencies: [
                "Primitives", "TradingModel",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Console",
            dependencies: [
                "Primitives", "TradingModel", "CNCurses", .product(name: "Logging", package: "swift-log"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "bulwark",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings", "Engine", "Supervision", "Benchmarks", "MarketClients", "PaperExchange", "Console", "Dashboard", "ControlPlane", "Assembly",
                "ChaosRehearsal", "Replay",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Saves the state in a loop until killed; spawned by the crash test in PersistenceTests.
        .executableTarget(
            name: "state-crash-probe",
            dependencies: ["Primitives", "Persistence", .product(name: "Logging", package: "swift-log")],
            path: "Sources/StateCrashProbe",
            swiftSettings: strictSettings
        ),
        // `make fuzz`: the .env parser, the state-file decoder and the paper exchange's order-body reader under
        // seeded mutation, for a time budget.
        .executableTarget(
            name: "bulwark-fuzz",
            dependencies: ["Primitives", "Settings", "Persistence", "TestSupport", "ExchangeFuzzing"],
            path: "Sources/Fuzz",
            swiftSettings: strictSettings
        ),
        // Test doubles shared by the test targets (manual clock, in-memory logging).
        .target(
            name: "TestSupport",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The paper exchange's order-body path as a fuzz target, for bulwark-fuzz and PaperExchangeTests. Apart
        // from TestSupport so that the test targets without the exchange do not get NIO in their graph.
        .target(
            name: "ExchangeFuzzing",
            dependencies: ["PaperExchange", "TestSupport"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrimitivesTests",
            dependencies: [
                "Primitives", "TradingModel", "Persistence", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "TradingModelTests",
            dependencies: [
                "Primitives", "TradingModel", "Benchmarks", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "RiskGuardTests",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "StrategiesTests",
            dependencies: [
                "Primitives", "Strategies", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: [
                "Primitives", "TradingModel", "Persistence", "Engine", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SettingsTests",
            dependencies: [
                "Primitives", "Settings", "Strategies", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EngineTests",
            dependencies: [
                "Primitives", "TradingModel", "RiskGuard", "Strategies", "Persistence", "Settings", "Engine", "Supervision", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "SupervisionTests",
            dependencies: [
                "Primitives", "TradingModel", "Persistence", "Engine", "Supervision", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarketClientsTests",
            dependencies: ["MarketClients", "Primitives", "TradingModel", "Persistence", "Settings", "Supervision", "TestSupport", "PaperExchange", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PaperExchangeTests",
            dependencies: [
                "PaperExchange", "Primitives", "Settings", "Benchmarks", "TestSupport", "ExchangeFuzzing",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "Primitives", "TradingModel", "Benchmarks", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ControlPlaneTests",
            dependencies: [
                "ControlPlane", "Primitives", "TradingModel", "Engine", "Supervision", "TestSupport", .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["Console", "CNCurses", "Primitives", "TradingModel", "TestSupport", .product(name: "Logging", package: "swift-log")],
            resources: [.copy("Golden")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReplayTests",
            dependencies: [
                "Replay", "Primitives", "TradingModel", "Strategies", "Settings", "PaperExchange", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["Primitives", "Persistence", "Settings", "Benchmarks", "TestSupport"],
            swiftSettings: strictSettings
        ),
    ]
)
