// swift-tools-version: 6.1
import PackageDescription

// FactorService: an example HTTP service over one DuckPool, built the way the Swift server
// ecosystem builds one (Hummingbird + swift-service-lifecycle + swift-argument-parser + swift-log).
//
// A nested package, so that Hummingbird and SwiftNIO never become dependencies of the DuckPool
// library itself. Run from this folder:  swift run FactorService --db /tmp/factors.duckdb
// (see README.md beside this file).
let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "FactorService",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "FactorService", targets: ["FactorService"]),
    ],
    dependencies: [
        // The main package, by path. `name:` pins the name used in `.product(package:)` below,
        // so it does not depend on the name of the folder the repository is cloned into.
        .package(name: "DuckPool", path: "../../"),
        // No traits: leaves out the swift-configuration integration (ConfigurationSupport) and the
        // full-Foundation URL-encoded form coder (FullFoundation), which this example does not use.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // Everything but the command line: routes, error mapping, schema, application assembly.
        .target(
            name: "FactorServiceApp",
            dependencies: [
                .product(name: "DuckPool", package: "DuckPool"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
        // The executable: parses the command line and runs the application until SIGTERM/SIGINT.
        .executableTarget(
            name: "FactorService",
            dependencies: [
                "FactorServiceApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSwift6
        ),
        .testTarget(
            name: "FactorServiceAppTests",
            dependencies: [
                "FactorServiceApp",
                .product(name: "DuckPool", package: "DuckPool"),
                .product(name: "DuckPoolTestUtils", package: "DuckPool"),
                // Only to check that the service's own stock_kline DDL is the project's table.
                .product(name: "StockKline", package: "DuckPool"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6
        ),
    ]
)
