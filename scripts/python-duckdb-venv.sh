#!/usr/bin/env bash
# Creates (once) a virtualenv with DuckDB's own Python client, duckdb==1.5.5 from PyPI and
# nothing else, for the test that drives `duckpool serve` from a client we did not write.
# Prints the venv's python path on stdout. The client loads httpfs and quack from the extension
# directory scripts/install-extensions.sh fills, as DuckPool does.
set -euo pipefail
venv="${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/python-duckdb-1.5.5"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import duckdb; assert duckdb.__version__ == "1.5.5"' 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "duckdb==1.5.5" >&2
fi
echo "$venv/bin/python"
