#!/usr/bin/env bash
# Installs the official DuckDB 1.5.5 extensions that DuckPool uses, from their PyPI wheels.
#
#   scripts/install-extensions.sh                # all of them; a second run takes milliseconds
#   scripts/install-extensions.sh parquet json   # only these
#   scripts/install-extensions.sh --dir          # print the extension directory
#
# The directory is ${DUCKPOOL_EXTENSION_DIR:-${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/extensions};
# DuckDBKit's DatabaseConfiguration resolves the same default (ExtensionDirectory.swift), with
# autoinstall off and autoload on, so DuckDB loads these files on first use and never downloads.
#
# Each wheel is fetched with `pip download --no-deps`, checked against the sha256 pinned below,
# and its .duckdb_extension file is placed, with one rename, at <dir>/v1.5.5/linux_amd64/<name>.
# The files are signed by DuckDB, so they load into any libduckdb 1.5.5, including the one that
# scripts/setup-duckdb.sh builds. The lean build has no parquet, json or icu of its own: tests
# and users need those three from here.
set -euo pipefail

readonly DUCKDB_VERSION="1.5.5"
readonly PLATFORM="linux_amd64"          # DuckDB's name for it
readonly WHEEL_PLATFORM="manylinux2014_x86_64"

# name   file name DuckDB looks for     sha256 of duckdb_extension_<name>-1.5.5-py3-none-manylinux2014_x86_64.whl
readonly PINS="
parquet  parquet                        0c5ca020c6866e738814755bb99ac004df69150e9e880cf116f2886ce1e940a6
json     json                           f5458212730208e941fa657d0c080e3905516c29821d9c21ad5ce63e1ddfedfc
icu      icu                            c25adf33d7b11a89fbe79ce385e072f50c7ffc21d7b8bad89610ba4162beac3e
quack    quack                          0fab21f33204d7a15cf540f9ee8a039f3c9db7326ffd5f0ed51eb5f09ae16c8b
ducklake ducklake                       b631ae4dd4bd649b3db35a789dbcc859476fe231ef449b3f03f4fe4e2ef4a946
postgres postgres_scanner               d423f23dcbfa6c0708840eb7a8a8b54244eada4adeace8356cb095638880ab33
httpfs   httpfs                         84913dbe172ccb54368de2c4a020c38ca8b0e76f99df548f7fac37934cc7826f
"

cache_root="${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}"
extension_dir="${DUCKPOOL_EXTENSION_DIR:-$cache_root/extensions}"
target="$extension_dir/v$DUCKDB_VERSION/$PLATFORM"
downloads="$cache_root/downloads/wheels"
python="${PYTHON:-python3}"

log() { printf '[install-extensions] %s\n' "$*" >&2; }

if [ "${1:-}" = "--dir" ]; then
  printf '%s\n' "$extension_dir"
  exit 0
fi

[ "$(uname -m)" = "x86_64" ] || { log "the pinned wheels are for $PLATFORM only, not $(uname -m)"; exit 1; }

# One extension: download (unless a verified wheel is cached), verify, extract, rename into place.
# A stamp file beside the extension records the wheel it came from, so reruns skip the work.
install_one() {
  local name="$1" file="$2" sha="$3"
  local wheel="$downloads/duckdb_extension_$name-$DUCKDB_VERSION-py3-none-$WHEEL_PLATFORM.whl"
  local dest="$target/$file.duckdb_extension" stamp="$target/.$file.wheel-sha256"
  if [ -f "$dest" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sha" ]; then return 0; fi
  if [ ! -f "$wheel" ] || ! echo "$sha  $wheel" | sha256sum --check --status; then
    "$python" -m pip --version >/dev/null 2>&1 || { log "needs $python with pip (apt-get install python3-pip)"; exit 1; }
    log "downloading duckdb-extension-$name==$DUCKDB_VERSION from PyPI"
    rm -f "$wheel"
    "$python" -m pip download --quiet --no-deps --only-binary=:all: --platform "$WHEEL_PLATFORM" \
      "duckdb-extension-$name==$DUCKDB_VERSION" -d "$downloads"
  fi
  if ! echo "$sha  $wheel" | sha256sum --check --status; then
    log "checksum mismatch for $wheel (expected $sha); not installing $name"
    rm -f "$wheel"
    return 1
  fi
  # The wheel holds duckdb_extension_<name>/extensions/v1.5.5/<name>.duckdb_extension.
  "$python" - "$wheel" "$name.duckdb_extension" "$dest.partial" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z:
    [path] = [n for n in z.namelist() if n.endswith("/" + member)]
    with z.open(path) as src, open(out, "wb") as dst:
        shutil.copyfileobj(src, dst)
PY
  mv "$dest.partial" "$dest"
  echo "$sha" >"$stamp"
  log "installed $file.duckdb_extension"
}

main() {
  local wanted=("$@") name file sha found failed=0
  mkdir -p "$target" "$downloads"
  # One installer at a time per directory: `make test` and `scripts/with-duckdb` may both start
  # one, and two would download into and rename the same files.
  exec 9>"$target/.install.lock"
  flock 9
  for want in "${wanted[@]}"; do
    grep -q "^$want " <<<"$PINS" || { log "no pinned wheel for '$want'; known: $(awk 'NF {printf "%s ", $1}' <<<"$PINS")"; exit 2; }
  done
  while read -r name file sha; do
    [ -n "$name" ] || continue
    if [ ${#wanted[@]} -gt 0 ]; then
      found=0
      for want in "${wanted[@]}"; do [ "$want" = "$name" ] && found=1; done
      [ "$found" -eq 1 ] || continue
    fi
    install_one "$name" "$file" "$sha" || failed=1
  done <<<"$PINS"
  [ "$failed" -eq 0 ] || exit 1
}

main "$@"
