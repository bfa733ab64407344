# Entry points. Each target first makes sure that libduckdb 1.5.5 and the official DuckDB
# extensions are in the cache outside the repository (scripts/setup-duckdb.sh and
# scripts/install-extensions.sh): milliseconds once they are; on a fresh machine, a libduckdb build
# of about 25 minutes on 2 cores (28 and 22 min measured, docs/setup.md), once per machine. Only apt
# installs of missing prerequisites need root, and nothing goes to /usr/local: pkg-config
# finds the cached libduckdb through PKG_CONFIG_PATH, and every binary swift links carries an
# rpath to it. (The rpath is passed here because SwiftPM refuses -Wl,-rpath in a .pc file.)
DUCKDB_PREFIX := $(shell scripts/setup-duckdb.sh --prefix)
export PKG_CONFIG_PATH := $(DUCKDB_PREFIX)/lib/pkgconfig$(if $(PKG_CONFIG_PATH),:$(PKG_CONFIG_PATH))
# Exported for the comparisons/ scripts, which run their own `swift build`.
export DUCKPOOL_SWIFT_FLAGS := -Xlinker -rpath -Xlinker $(DUCKDB_PREFIX)/lib

.PHONY: setup duckdb extensions postgres build test tsan leaks demo bench side-by-side

## libduckdb and the extensions.
setup: duckdb extensions

duckdb:
	@scripts/setup-duckdb.sh

## The official parquet, json, icu, quack, ducklake, postgres and httpfs extensions, from PyPI.
extensions:
	@scripts/install-extensions.sh

build: setup
	swift build $(DUCKPOOL_SWIFT_FLAGS)

## PostgreSQL's server programs, for the DuckLake tests (which start and stop their own server).
postgres:
	@scripts/install-postgres.sh

## Run the whole test suite: the modules' import rules, the package's tests, the example service's.
test: setup postgres
	scripts/check-imports.sh
	swift test $(DUCKPOOL_SWIFT_FLAGS)
	cd Examples/FactorService && swift test $(DUCKPOOL_SWIFT_FLAGS)

## Sanitized code runs several times slower: at most 4 tests at a time (Swift Testing's
## experimental width setting), so that tests finish within their time limits on 2 cores.
## Under ThreadSanitizer at most 2: with 4, TSan's own runtime crashed the test process in three
## runs in a row (twice a SEGV inside TSan, once its CHECK "thr->slot != 0" in signal handling,
## the failure of google/sanitizers#1541, still open); no run with 2 has. Up to 310 threads
## were alive at once even with 2. DUCKPOOL_SANITIZER lets the few tests of scale use a smaller
## workload (DuckPoolTestUtils' Sanitizer).
SANITIZED_TEST_WIDTH := SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=4
TSAN_TEST_WIDTH := SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=2

## The test suite under ThreadSanitizer (see scripts/tsan.supp for the one toolchain false positive).
tsan: setup
	$(TSAN_TEST_WIDTH) DUCKPOOL_SANITIZER=thread TSAN_OPTIONS=suppressions=$(CURDIR)/scripts/tsan.supp swift test --sanitize=thread --scratch-path .build-tsan $(DUCKPOOL_SWIFT_FLAGS)

## The test suite under AddressSanitizer + LeakSanitizer (see scripts/lsan.supp).
leaks: setup
	$(SANITIZED_TEST_WIDTH) DUCKPOOL_SANITIZER=address LSAN_OPTIONS=suppressions=$(CURDIR)/scripts/lsan.supp swift test --sanitize=address --scratch-path .build-asan $(DUCKPOOL_SWIFT_FLAGS)

## The main job: generate a stock_kline database and run the demo on it.
demo: setup
	swift run -c release $(DUCKPOOL_SWIFT_FLAGS) duckpool demo

## DuckDBKit's Decodable read of 1M stock_kline rows against DuckDB Python's fetchall().
bench: setup
	comparisons/read-vs-python.sh

## DuckPool (`duckpool bench`) against the seed's Python pool; rewrites docs/benchmarks.md's side-by-side section.
side-by-side: setup
	comparisons/side-by-side.sh

## Fuzz DuckDBKit's text entry points with libFuzzer (Fuzz/, not part of CI): FUZZ_SECONDS (default
## 600) of coverage-guided inputs; findings (crashing inputs) land in Fuzz/findings/.
.PHONY: fuzz
FUZZ_SECONDS ?= 600
fuzz: setup
	cd Fuzz && swift build --sanitize=fuzzer --product TextEntryFuzzer $(DUCKPOOL_SWIFT_FLAGS)
	mkdir -p Fuzz/findings Fuzz/.build/corpus
	cp Fuzz/corpus/* Fuzz/.build/corpus/
	cd Fuzz && .build/debug/TextEntryFuzzer -max_total_time=$(FUZZ_SECONDS) -max_len=70000 -timeout=30 -rss_limit_mb=4096 -artifact_prefix=findings/ -print_final_stats=1 .build/corpus
