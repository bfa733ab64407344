#!/usr/bin/env bash
# Makes libduckdb 1.5.5 available to SwiftPM: `pkg-config duckdb` and the dynamic loader find it.
#
#   scripts/setup-duckdb.sh            # idempotent; a second run takes seconds
#
# 1. If pkg-config already finds duckdb 1.5.5 (and the loader can open it), nothing is done.
# 2. Otherwise the official DuckDB 1.5.5 source distribution is fetched from PyPI with pip, its
#    sha256 is checked against the value pinned below, and its external/duckdb tree is built with
#    CMake + Ninja (Release; built-in extensions core_functions, parquet, json, icu; version
#    overridden to v1.5.5 so that official 1.5.5 extension files load). The result (library,
#    duckdb.h, duckdb.pc) is installed into a cache outside the repository:
#       ${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/duckdb-1.5.5
#    The build runs in a scratch folder and is moved into place with one rename, under a lock, so
#    two concurrent runs never see a half-written cache. One build per machine, 17 to 40 min on 2 cores.
# 3. The cached files are linked into a prefix that pkg-config and the loader already search
#    (DUCKPOOL_SYSTEM_PREFIX, default /usr/local) when it is writable, and ldconfig is refreshed.
#    When it is not writable, use scripts/with-duckdb to run swift commands instead.
set -euo pipefail

readonly DUCKDB_VERSION="1.5.5"
readonly SDIST_SHA256="72f33ee57ca7595b23957671a2cc7f7fe2be0ecc2d68f63abedcfcaa3a5c1238"
readonly EXTENSIONS="core_functions;parquet;json;icu"

cache_root="${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}"
prefix="$cache_root/duckdb-$DUCKDB_VERSION"
system_prefix="${DUCKPOOL_SYSTEM_PREFIX:-/usr/local}"

log() { printf '[setup-duckdb] %s\n' "$*" >&2; }

usable_installed_duckdb() {
  [ "$(pkg-config --modversion duckdb 2>/dev/null || true)" = "$DUCKDB_VERSION" ] || return 1
  local libdir
  libdir="$(pkg-config --variable=libdir duckdb)"
  [ -e "$libdir/libduckdb.so" ]
}

cache_is_complete() {
  [ -f "$prefix/.complete" ] && [ -e "$prefix/lib/libduckdb.so" ] && [ -e "$prefix/include/duckdb.h" ]
}

ensure_build_tools() {
  local missing=()
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v ninja >/dev/null 2>&1 || missing+=(ninja-build)
  command -v c++ >/dev/null 2>&1 || missing+=(g++)
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing build tools: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

fetch_sdist() {
  local downloads="$cache_root/downloads" archive
  archive="$downloads/duckdb-$DUCKDB_VERSION.tar.gz"
  mkdir -p "$downloads"
  if [ ! -f "$archive" ] || ! echo "$SDIST_SHA256  $archive" | sha256sum --check --status; then
    log "downloading the DuckDB $DUCKDB_VERSION source distribution from PyPI"
    rm -f "$archive"
    local python="${PYTHON:-python3}"
    "$python" -m pip download --quiet --no-deps --no-binary=duckdb "duckdb==$DUCKDB_VERSION" -d "$downloads"
  fi
  if ! echo "$SDIST_SHA256  $archive" | sha256sum --check --status; then
    log "checksum mismatch for $archive (expected $SDIST_SHA256); refusing to build"
    rm -f "$archive"
    exit 1
  fi
  printf '%s\n' "$archive"
}

write_pkg_config() {
  local dest_prefix="$1" pc="$2"
  cat >"$pc" <<PC
prefix=$dest_prefix
libdir=\${prefix}/lib
includedir=\${prefix}/include

Name: duckdb
Description: DuckDB $DUCKDB_VERSION, built from the official source distribution by DuckPool
Version: $DUCKDB_VERSION
Libs: -L\${libdir} -lduckdb
Cflags: -I\${includedir}
PC
}

build_into_cache() {
  ensure_build_tools
  local archive scratch
  archive="$(fetch_sdist)"
  scratch="$(mktemp -d "$cache_root/build.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$scratch'" EXIT
  log "extracting into $scratch"
  tar -xzf "$archive" -C "$scratch"
  local source="$scratch/duckdb-$DUCKDB_VERSION/external/duckdb"
  [ -f "$source/CMakeLists.txt" ] || { log "no external/duckdb in the archive"; exit 1; }

  log "configuring (Release, extensions: $EXTENSIONS)"
  cmake -S "$source" -B "$scratch/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DOVERRIDE_GIT_DESCRIBE="v$DUCKDB_VERSION" \
    -DBUILD_EXTENSIONS="$EXTENSIONS" \
    -DBUILD_SHELL=FALSE -DBUILD_UNITTESTS=FALSE -DENABLE_SANITIZER=FALSE \
    >"$scratch/cmake.log" 2>&1 || { tail -50 "$scratch/cmake.log" >&2; exit 1; }

  log "building libduckdb (one time per machine; 17 to 40 minutes on 2 cores)"
  local started=$SECONDS
  ninja -C "$scratch/build" duckdb >"$scratch/ninja.log" 2>&1 || { tail -50 "$scratch/ninja.log" >&2; exit 1; }
  log "built in $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s"

  local staged="$scratch/prefix"
  mkdir -p "$staged/lib/pkgconfig" "$staged/include"
  cp "$scratch/build/src/libduckdb.so" "$staged/lib/"
  cp "$source/src/include/duckdb.h" "$staged/include/"
  write_pkg_config "$prefix" "$staged/lib/pkgconfig/duckdb.pc"
  echo "sdist_sha256=$SDIST_SHA256 built=$(date -u +%FT%TZ)" >"$staged/.complete"

  rm -rf "$prefix"
  mv "$staged" "$prefix"   # one rename: readers see the old state or the complete one
  rm -rf "$scratch"
  trap - EXIT
}

activate_in_system_prefix() {
  if [ ! -w "$system_prefix" ] && ! mkdir -p "$system_prefix/lib/pkgconfig" 2>/dev/null; then
    log "$system_prefix is not writable: run swift through scripts/with-duckdb instead"
    return 0
  fi
  mkdir -p "$system_prefix/lib/pkgconfig" "$system_prefix/include"
  ln -sfn "$prefix/lib/libduckdb.so" "$system_prefix/lib/libduckdb.so"
  ln -sfn "$prefix/include/duckdb.h" "$system_prefix/include/duckdb.h"
  write_pkg_config "$system_prefix" "$system_prefix/lib/pkgconfig/duckdb.pc"
  command -v ldconfig >/dev/null 2>&1 && ldconfig 2>/dev/null || true
  log "linked libduckdb $DUCKDB_VERSION into $system_prefix"
}

main() {
  if usable_installed_duckdb; then
    log "libduckdb $DUCKDB_VERSION found by pkg-config at $(pkg-config --variable=libdir duckdb)"
    return 0
  fi
  mkdir -p "$cache_root"
  exec 9>"$cache_root/.lock"
  flock 9
  cache_is_complete || build_into_cache
  activate_in_system_prefix
  flock -u 9
  if ! usable_installed_duckdb; then
    log "libduckdb is cached at $prefix but not on the default search paths; use scripts/with-duckdb"
  fi
}

main "$@"
