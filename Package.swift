// swift-tools-version: 6.1
import PackageDescription

// DuckPool: a production connection pool for DuckDB, in Swift.
//
// Modules, lowest first (see docs/architecture.md):
//   CDuckDB            system library over duckdb.h (pkg-config `duckdb`; scripts/setup-duckdb.sh)
//   DuckDBKit          safe DuckDB wrapper: Database, Connection, PreparedStatement, results, DuckDBError
//   DuckPoolCore       generic pool state machine + concurrent shell; imports neither DuckDB nor Logging
//   DuckPool           DuckDB-bound pool facade: configuration, presets, Service, logs, metrics
//   DuckPoolTestUtils  mock clock and mock connection factory, shared by tests and benchmarks
//   duckpool           the command-line tool
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "DuckPool",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "DuckDBKit", targets: ["DuckDBKit"]),
        .library(name: "DuckPoolCore", targets: ["DuckPoolCore"]),
        .library(name: "DuckPool", targets: ["DuckPool"]),
        .library(name: "DuckPoolTestUtils", targets: ["DuckPoolTestUtils"]),
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
        .target(
            name: "DuckPoolSupport",
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckDBKit",
            dependencies: ["CDuckDB", "DuckPoolSupport"],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPoolCore",
            dependencies: [
                "DuckPoolSupport",
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPool",
            dependencies: [
                "DuckDBKit",
                "DuckPoolCore",
                "DuckPoolSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
        .target(
            name: "DuckPoolTestUtils",
            dependencies: ["DuckPoolCore", "DuckDBKit", "DuckPoolSupport"],
            swiftSettings: strictSwift6
        ),
        .executableTarget(
            name: "duckpool",
            dependencies: [
                "DuckPool",
                "DuckPoolSupport",
                "CDuckDB", // crash-repro's child shares one raw connection between threads
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckDBKitTests",
            dependencies: ["DuckDBKit", "DuckPoolSupport", "DuckPoolTestUtils"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolCoreTests",
            dependencies: ["DuckPoolCore", "DuckPoolSupport", "DuckPoolTestUtils"],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "DuckPoolTests",
            dependencies: [
                "DuckPool",
                "duckpool", // the CLI's testable parts (crash-repro's child exit descriptions)
                "DuckPoolSupport",
                "DuckPoolTestUtils",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSwift6
        ),
    ]
)
