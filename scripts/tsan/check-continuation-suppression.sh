#!/usr/bin/env bash
# Shows why scripts/tsan.supp suppresses races inside UnsafeContinuation.resume: builds
# continuation-handoff.swift (a correct mutex-ordered hand-off of continuations) with
# ThreadSanitizer and runs it twice, without and with the suppressions. Prints the number of
# ThreadSanitizer reports of each run. Usage: scripts/tsan/check-continuation-suppression.sh [ROUNDS]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rounds="${1:-20000}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swiftc -sanitize=thread -O -g "$here/continuation-handoff.swift" -o "$work/handoff"
count() { grep -c "WARNING: ThreadSanitizer" "$1" || true; }
TSAN_OPTIONS="halt_on_error=0 exitcode=0" "$work/handoff" "$rounds" > "$work/plain.txt" 2>&1
TSAN_OPTIONS="halt_on_error=0 exitcode=0 suppressions=$here/../tsan.supp" "$work/handoff" "$rounds" > "$work/suppressed.txt" 2>&1
echo "without scripts/tsan.supp: $(count "$work/plain.txt") ThreadSanitizer reports"
echo "with scripts/tsan.supp:    $(count "$work/suppressed.txt") ThreadSanitizer reports"
