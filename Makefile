# Entry points. Each target first makes sure libduckdb 1.5.5 is installed (scripts/setup-duckdb.sh:
# a no-op once it is; a one-time ~23-minute build on a fresh machine).
.PHONY: duckdb build test tsan demo bench clean-duckdb-cache

duckdb:
	@scripts/setup-duckdb.sh

build: duckdb
	swift build

## Run the whole test suite.
test: duckdb
	swift test

## The test suite under ThreadSanitizer.
tsan: duckdb
	swift test --sanitize=thread

## The main job: generate a stock_kline database and run the demo on it.
demo: duckdb
	swift run -c release duckpool demo

bench: duckdb
	swift run -c release duckpool bench
