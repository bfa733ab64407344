// swift-tools-version: 6.1
import PackageDescription

// DuckPool micro-benchmarks: a nested package, so that ordo-one/benchmark (and its malloc
// interposer) never becomes a dependency of the DuckPool library itself.
//
// Run from this folder:  swift package benchmark
// (see README.md beside this file).
//
// The benchmark plugin finds suites as executable targets whose sources live in
// Benchmarks/<Suite>/ of this package.

let package = Package(
    name: "DuckPoolBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // The main package, by path. `name:` pins the name used in `.product(package:)` below,
        // so it does not depend on the name of the folder the repository is cloned into.
        .package(name: "DuckPool", path: "../"),
        // Only the MallocInterposer trait (malloc counts, no system library needed on Swift 6.3+).
        // Leaving out the default RuntimeInterposer trait keeps swift-runtime-interposer (Linux,
        // Swift 6.3 only, used for ARC counts) out of the dependency graph.
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "PoolBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DuckPoolCore", package: "DuckPool"),
                .product(name: "DuckPoolTestUtils", package: "DuckPool"),
            ],
            path: "Benchmarks/PoolBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "LeaseBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DuckPool", package: "DuckPool"),
            ],
            path: "Benchmarks/LeaseBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
        .executableTarget(
            name: "DecodeBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "DuckDBKit", package: "DuckPool"),
                .product(name: "StockKline", package: "DuckPool"),
            ],
            path: "Benchmarks/DecodeBenchmarks",
            swiftSettings: [.swiftLanguageMode(.v6)],
            plugins: [
                .plugin(name: "BenchmarkPlugin", package: "benchmark"),
            ]
        ),
    ]
)
