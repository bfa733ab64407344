#!/usr/bin/env bash
# Fails when a module imports something its layer may not: the rules of docs/architecture.md,
# checked on every `import` line of Sources/<Module>/**/*.swift. Run by `make test` (and so by CI).
#   scripts/check-imports.sh
set -euo pipefail
cd "$(dirname "$0")/.."

platform="Glibc Musl Darwin"   # guarded C library imports, allowed everywhere
declare -A allowed=(
  [CDuckDB]=""
  [DuckPoolSupport]="$platform"
  [DuckDBKit]="CDuckDB DuckPoolSupport Foundation Dispatch Synchronization $platform"
  [DuckPoolCore]="DuckPoolSupport DequeModule Synchronization $platform"
  [DuckPool]="DuckDBKit DuckPoolCore DuckPoolSupport Logging CoreMetrics ServiceLifecycle Foundation Dispatch Synchronization $platform"
  [StockKline]="DuckDBKit DuckPoolSupport Foundation"
  [DuckPoolTestUtils]="DuckPoolCore DuckPoolSupport Foundation Synchronization $platform"
  [DuckPoolTestTraits]="DuckPoolTestUtils Testing"
  [DuckDBKitTestUtils]="DuckDBKit DuckPoolTestUtils Foundation"
  [DuckPoolCLI]="DuckPool DuckDBKit DuckPoolCore DuckPoolSupport StockKline ArgumentParser Logging Foundation Dispatch Synchronization $platform"
  [duckpool]="DuckPoolCLI DuckPoolSupport StockKline ArgumentParser Foundation Synchronization $platform"
)
# One file may break its module's rule, for a stated reason.
declare -A exceptions=(
  # The raw C API, shared between threads on purpose: the crash the demo reproduces, which
  # DuckDBKit's Connection refuses to allow.
  [Sources/duckpool/UnsafeSharedConnection.swift]="CDuckDB"
)

status=0
for dir in Sources/*/; do
  module=$(basename "$dir")
  if [ -z "${allowed[$module]+set}" ]; then
    echo "check-imports: no rule for module $module (add it here and to docs/architecture.md)" >&2
    status=1
    continue
  fi
  while IFS=: read -r file line text; do
    imported=$(sed -E 's/^(@_exported[[:space:]]+)?((public|package|internal)[[:space:]]+)?import[[:space:]]+([A-Za-z_][A-Za-z0-9_]*).*/\4/' <<<"$text")
    case " ${allowed[$module]} ${exceptions[$file]:-} " in
      *" $imported "*) ;;
      *) echo "check-imports: $file:$line: $module may not import $imported" >&2; status=1 ;;
    esac
  done < <(grep -rnE '^(@_exported[[:space:]]+)?((public|package|internal)[[:space:]]+)?import[[:space:]]' "$dir" --include='*.swift' || true)
done
[ $status -eq 0 ] && echo "check-imports: every module imports only what its layer allows"
exit $status
