// swift-tools-version: 6.1
import PackageDescription

// DuckPool: a production connection pool for DuckDB, in Swift.
//
// Modules, lowest first. Each may import only what docs/architecture.md lists for it, and
// scripts/check-imports.sh (run by the test suite) fails on anything else.
//   CDuckDB            system library over duckdb.h (pkg-config `duckdb`; scripts/setup-duckdb.sh)
//   DuckPoolSupport    the shared primitives: the lock ThreadSanitizer sees, a blocking handoff, Duration units
//   DuckDBKit          safe DuckDB wrapper: Database, Connection, PreparedStatement, results, DuckDBError
//   DuckPoolCore       generic pool state machine + concurrent shell; imports neither DuckDB nor Logging
//   DuckPool           DuckDB-bound pool facade: configuration, presets, Service, logs, metrics
//   StockKline         the one definition of FactorWeave's stock_kline table, row type and data generator
//   DuckPoolTestUtils  mock clock and mock connection factory, shared by tests and benchmarks
//   DuckPoolTestTraits the Swift Testing trait that runs tests on threads that may block
//   DuckDBKitTestUtils real DuckDB fixtures for tests: an in-process Quack server
//   DuckPoolCLI        the command-line tool's commands
//   duckpool           the thin executable
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "DuckPool",
    // Tested on Linux only. The sources guard their platform imports, so that the package builds
    // on macOS 15 too, where nobody runs its tests yet.
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DuckDBKit", targets: ["DuckDBKit"]),
        .library(name: "DuckPoolCore", targets: ["DuckPoolCore"]),
        .library(name: "DuckPool", targets: ["DuckPool"]),
        .library(name: "DuckPoolTestUtils", targets: ["DuckPoolTestUtils"]),
        .library(name: "StockKline", targets: ["StockKline"]),
        .executable(name: "duckpool", targets: ["duckpool"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CDuckDB",
            pkgConfig: "duckdb",
            providers: [.apt(["(run scripts/setup-duckdb.sh: builds DuckDB 1.5.5 once per machine)"])]
        ),
        .target(name: "DuckPoolSupport", swiftSettings: strictSwift6),
        .target(name: "DuckDBKit", dependencies: ["CDuckDB", "DuckPoolSupport"], swiftSettings: strictSwift6),
        .target(
            name: "DuckPoolCore",
            dependencies: ["DuckPoolSupport", .product(name: "DequeModule", package: "swift-collections")],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPool",
            dependencies: [
                "DuckDBKit", "DuckPoolCore", "DuckPoolSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(name: "StockKline", dependencies: ["DuckDBKit", "DuckPoolSupport"], swiftSettings: strictSwift6),
        .target(
            name: "DuckPoolTestUtils",
            dependencies: ["DuckPoolCore", "DuckPoolSupport"],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPoolTestTraits",
            dependencies: ["DuckPoolTestUtils"],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckDBKitTestUtils",
            dependencies: ["DuckDBKit", "DuckPoolTestUtils"],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPoolCLI",
            dependencies: [
                "DuckPool", "StockKline", "DuckPoolSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "duckpool",
            dependencies: [
                "DuckPoolCLI", "StockKline", "DuckPoolSupport",
                // UnsafeSharedConnection.swift only: the thread-sharing bug the demo reproduces,
                // which DuckDBKit refuses to commit.
                "CDuckDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolSupportTests",
            dependencies: ["DuckPoolSupport", "DuckPoolTestTraits"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckDBKitTests",
            dependencies: ["DuckDBKit", "DuckPoolSupport", "DuckPoolTestUtils", "DuckDBKitTestUtils", "StockKline", "DuckPoolTestTraits"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolCoreTests",
            dependencies: ["DuckPoolCore", "DuckPoolSupport", "DuckPoolTestUtils", "DuckPoolTestTraits"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolTests",
            dependencies: [
                "DuckPool", "DuckPoolSupport", "DuckPoolTestUtils", "DuckDBKitTestUtils", "DuckPoolTestTraits", "StockKline",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolCLITests",
            dependencies: ["DuckPoolCLI", "DuckPool", "DuckPoolTestUtils", "StockKline", "duckpool", "DuckPoolTestTraits"],
            swiftSettings: strictSwift6
        ),
    ]
)
