#!/usr/bin/env bash
# Creates (once) the virtualenv the Python peer runs in, outside the repository, with the pinned
# versions of requirements.txt. Prints the venv's python path on stdout.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/peers-venv"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" >"$stamp"
fi
echo "$venv/bin/python"
