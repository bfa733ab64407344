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

## Fuzz DuckDBKit's text entry points with libFuzzer (Fuzz/, not part of CI): FUZZ_SECONDS (default
## 600) of coverage-guided inputs; findings (crashing inputs) land in Fuzz/findings/.
.PHONY: fuzz
FUZZ_SECONDS ?= 600
fuzz: duckdb
	cd Fuzz && swift build --sanitize=fuzzer --product TextEntryFuzzer
	mkdir -p Fuzz/findings Fuzz/.build/corpus
	cp Fuzz/corpus/* Fuzz/.build/corpus/
	cd Fuzz && .build/debug/TextEntryFuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=70000 -timeout=30 -rss_limit_mb=4096 -artifact_prefix=findings/ -print_final_stats=1 .build/corpus
