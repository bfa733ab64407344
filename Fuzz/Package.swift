// swift-tools-version: 6.1
import PackageDescription

// A coverage-guided fuzzer (libFuzzer) for DuckDBKit's text entry points: SQL text, scripts,
// bound string parameters, table and column names. A nested package, so that it never reaches
// the library's users and CI does not build it.
//
//   make fuzz                      # from the repository root: builds, then fuzzes for 10 minutes
//   FUZZ_SECONDS=60 make fuzz
let package = Package(
    name: "DuckPoolFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "DuckPool", path: "../"),
    ],
    targets: [
        .executableTarget(
            name: "TextEntryFuzzer",
            dependencies: [.product(name: "DuckDBKit", package: "DuckPool")],
            swiftSettings: [.swiftLanguageMode(.v6), .unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
