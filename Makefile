# Entry points. Each target first makes sure libduckdb 1.5.5 is installed (scripts/setup-duckdb.sh:
# a no-op once it is; a one-time 15-25 minute build on a fresh machine).
.PHONY: duckdb build test tsan leaks demo bench

duckdb:
	@scripts/setup-duckdb.sh

build: duckdb
	swift build

## Run the whole test suite (and check the modules' import rules first).
test: duckdb
	scripts/check-imports.sh
	swift test

## The test suite under ThreadSanitizer.
tsan: duckdb
	swift test --sanitize=thread --scratch-path .build-tsan

## The test suite under AddressSanitizer + LeakSanitizer (see scripts/lsan.supp).
leaks: duckdb
	LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp swift test --sanitize=address --scratch-path .build-asan

## The main job: generate a stock_kline database and run the demo on it.
demo: duckdb
	swift run -c release duckpool demo

## DuckDBKit's Decodable read of 1M stock_kline rows against DuckDB Python's fetchall().
bench: duckdb
	comparisons/read-vs-python.sh

## DuckPool (`duckpool bench`) against the seed's Python pool; rewrites docs/benchmarks.md's side-by-side section.
.PHONY: side-by-side
side-by-side: duckdb
	comparisons/side-by-side.sh
