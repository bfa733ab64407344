#!/usr/bin/env bash
# Builds libduckdb 1.5.5 once per machine into a cache outside the repository, for SwiftPM: about
# 25 minutes on 2 cores for the default lean build (28 and 22 min measured, docs/setup.md).
#
#   scripts/setup-duckdb.sh            # idempotent; with the cache in place it takes milliseconds
#   scripts/setup-duckdb.sh --prefix   # print the cached prefix (make puts it on PKG_CONFIG_PATH)
#
# The cache: ${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}/duckdb-1.5.5-<flavour>
# holds lib/libduckdb.so, include/duckdb.h, lib/pkgconfig/duckdb.pc, .complete (what was built,
# how, and how long it took) and share/ninja_log (per-step build times, for
# scripts/ninja-log-split.py). The Makefile and scripts/with-duckdb put it on PKG_CONFIG_PATH.
#
# Flavours (DUCKPOOL_DUCKDB_FLAVOUR):
#   lean (default)  the core and core_functions only. parquet, json and icu come from the official
#                   1.5.5 extension files (scripts/install-extensions.sh), loaded on first use.
#   full            also parquet, json and icu built in, as before; kept to measure against.
# The flavour is part of the cache key, so a lean cache is never mistaken for a full one (the
# other way round is harmless, and allowed when no flavour is asked for: see below).
#
# How it builds: the official source distribution is fetched from PyPI with pip, its sha256 is
# checked against the value pinned below, and its external/duckdb tree is built with CMake and
# Ninja (Release; version overridden to v1.5.5 so that official 1.5.5 extension files load), in a
# scratch folder moved into place with one rename, under a lock, so two concurrent runs never see
# a half-written cache. DUCKPOOL_COMPILER=gcc|clang picks the compiler (default below; see
# docs/setup.md's "Compiler choice"); DUCKPOOL_CXX_EXTRA appends compiler flags (-O2, to measure).
# Both are recorded in .complete but are not part of the cache key: they change speed, not features.
#
# Prerequisites: cmake, ninja, a C++ compiler, pkg-config, python3 with pip. Missing ones are
# installed with apt when running as root (or with password-less sudo), otherwise named.
#
# Linking into a system prefix is opt-in: DUCKPOOL_SYSTEM_PREFIX=/usr/local scripts/setup-duckdb.sh
# also links the cached files there, for plain `swift build` without make. Nothing else needs root.
set -euo pipefail

readonly DUCKDB_VERSION="1.5.5"
readonly SDIST_SHA256="72f33ee57ca7595b23957671a2cc7f7fe2be0ecc2d68f63abedcfcaa3a5c1238"
readonly DEFAULT_COMPILER="gcc"

here="$(cd "$(dirname "$0")" && pwd)"
flavour="${DUCKPOOL_DUCKDB_FLAVOUR:-lean}"
case "$flavour" in
  # parquet is in DuckDB's base extension config; SKIP_EXTENSIONS is how to leave it out.
  lean) cmake_extensions=(-DBUILD_EXTENSIONS="core_functions" -DSKIP_EXTENSIONS="parquet") ;;
  full) cmake_extensions=(-DBUILD_EXTENSIONS="core_functions;parquet;json;icu") ;;
  *) echo "[setup-duckdb] DUCKPOOL_DUCKDB_FLAVOUR must be lean or full, not '$flavour'" >&2; exit 2 ;;
esac
cache_root="${DUCKPOOL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/duckpool}"
prefix="$cache_root/duckdb-$DUCKDB_VERSION-$flavour"
# A full build holds everything a lean one does. Unless a flavour was asked for, a complete full
# cache stands in for a missing lean one: the full flavour's, or duckdb-1.5.5 (no suffix), the
# name earlier versions of this script and the shared prebuilt archive use.
if [ -z "${DUCKPOOL_DUCKDB_FLAVOUR:-}" ] && [ ! -f "$prefix/.complete" ]; then
  for candidate in "$cache_root/duckdb-$DUCKDB_VERSION-full" "$cache_root/duckdb-$DUCKDB_VERSION"; do
    if [ -f "$candidate/.complete" ] && [ -e "$candidate/lib/libduckdb.so" ]; then
      prefix="$candidate" flavour=full
      break
    fi
  done
fi

if [ "${1:-}" = "--prefix" ]; then
  printf '%s\n' "$prefix"
  exit 0
fi

log() { printf '[setup-duckdb] %s\n' "$*" >&2; }

cache_is_complete() {
  [ -f "$prefix/.complete" ] && [ -e "$prefix/lib/libduckdb.so" ] && [ -e "$prefix/include/duckdb.h" ]
}

# A directory can be written when it, or the nearest ancestor that exists, is a writable
# directory. (`mkdir -p` alone is no test: it succeeds on an existing read-only directory.)
can_write_into() {
  local dir="$1"
  while [ ! -e "$dir" ]; do dir="$(dirname "$dir")"; done
  [ -d "$dir" ] && [ -w "$dir" ]
}

compiler_pair() {
  case "${DUCKPOOL_COMPILER:-$DEFAULT_COMPILER}" in
    gcc) echo "gcc g++" ;;
    clang) echo "clang clang++" ;;   # the Swift toolchain's clang, on PATH wherever swift is
    *) log "DUCKPOOL_COMPILER must be gcc or clang"; exit 2 ;;
  esac
}

# Installs with apt (as root, or with password-less sudo) or names the missing apt packages.
install_packages() {
  local missing=("$@")
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
      log "missing prerequisites: ${missing[*]}; install them (apt-get install ${missing[*]}) and run again"
      exit 1
    fi
  fi
  log "installing prerequisites with apt: ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
}

# What the build needs: cmake, ninja, the compiler, and pip for the source download.
ensure_build_tools() {
  local cc cxx missing=()
  read -r cc cxx < <(compiler_pair)
  command -v cmake >/dev/null 2>&1 || missing+=(cmake)
  command -v ninja >/dev/null 2>&1 || missing+=(ninja-build)
  if ! command -v "$cxx" >/dev/null 2>&1; then
    [ "$cxx" = g++ ] || { log "$cxx not found: it comes with the Swift toolchain; or use DUCKPOOL_COMPILER=gcc"; exit 1; }
    missing+=(g++)
  fi
  "${PYTHON:-python3}" -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
  [ ${#missing[@]} -eq 0 ] || install_packages "${missing[@]}"
}

fetch_sdist() {
  local downloads="$cache_root/downloads" archive
  archive="$downloads/duckdb-$DUCKDB_VERSION.tar.gz"
  mkdir -p "$downloads"
  if [ ! -f "$archive" ] || ! echo "$SDIST_SHA256  $archive" | sha256sum --check --status; then
    log "downloading the DuckDB $DUCKDB_VERSION source distribution (18 MB) from PyPI"
    rm -f "$archive"
    "${PYTHON:-python3}" -m pip download --quiet --no-deps --no-binary=duckdb "duckdb==$DUCKDB_VERSION" -d "$downloads"
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
Description: DuckDB $DUCKDB_VERSION ($flavour), built from the official source distribution by DuckPool
Version: $DUCKDB_VERSION
Libs: -L\${libdir} -lduckdb
Cflags: -I\${includedir}
PC
}

# User+sys CPU seconds of the shell's children, from a file written by `times` (its second line).
# `times` itself must run in the building shell, not in a $(...) subshell, whose children start
# from zero; ninja's line then counts every compiler it ran.
children_cpu_seconds() {
  sed -n 2p "$1" | awk '{ for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } printf "%.0f", s }'
}

build_into_cache() {
  ensure_build_tools
  local archive scratch cc cxx
  read -r cc cxx < <(compiler_pair)
  archive="$(fetch_sdist)"
  scratch="$(mktemp -d "$cache_root/build.XXXXXX")"
  # shellcheck disable=SC2064
  trap "rm -rf '$scratch'" EXIT
  tar -xzf "$archive" -C "$scratch"
  local source="$scratch/duckdb-$DUCKDB_VERSION/external/duckdb"
  [ -f "$source/CMakeLists.txt" ] || { log "no external/duckdb in the archive"; exit 1; }

  # Logs live outside the scratch folder so that they survive a failed build.
  local logs="$cache_root/logs" stamp
  stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$logs"
  log "configuring the $flavour build with $("$cxx" --version | head -1)"
  CC="$cc" CXX="$cxx" cmake -S "$source" -B "$scratch/build" -G Ninja \
    -DCMAKE_BUILD_TYPE=Release \
    -DOVERRIDE_GIT_DESCRIBE="v$DUCKDB_VERSION" \
    "${cmake_extensions[@]}" \
    -DCXX_EXTRA="${DUCKPOOL_CXX_EXTRA:-}" \
    -DBUILD_SHELL=FALSE -DBUILD_UNITTESTS=FALSE -DENABLE_SANITIZER=FALSE \
    >"$logs/cmake-$flavour-$stamp.log" 2>&1 \
    || { tail -50 "$logs/cmake-$flavour-$stamp.log" >&2; log "configure failed; log: $logs/cmake-$flavour-$stamp.log"; exit 1; }

  log "building libduckdb ($flavour, once per machine; docs/setup.md has measured times)"
  local started=$SECONDS
  times >"$scratch/times.before"
  "$here/with-progress" "$logs/ninja-$flavour-$stamp.log" "[setup-duckdb] building libduckdb" ninja -C "$scratch/build" duckdb
  times >"$scratch/times.after"
  local wall=$(( SECONDS - started ))
  local cpu=$(( $(children_cpu_seconds "$scratch/times.after") - $(children_cpu_seconds "$scratch/times.before") ))
  log "built in $(( wall / 60 )) min $(( wall % 60 )) s ($cpu CPU-seconds)"

  local staged="$scratch/prefix"
  mkdir -p "$staged/lib/pkgconfig" "$staged/include" "$staged/share"
  cp "$scratch/build/src/libduckdb.so" "$staged/lib/"
  cp "$source/src/include/duckdb.h" "$staged/include/"
  cp "$scratch/build/.ninja_log" "$staged/share/ninja_log"
  # Relative to the .pc file (SwiftPM and pkg-config both expand pcfiledir), so the cache can be
  # copied elsewhere, for example from a prebuilt archive, and still work.
  write_pkg_config '${pcfiledir}/../..' "$staged/lib/pkgconfig/duckdb.pc"
  {
    echo "flavour=$flavour sdist_sha256=$SDIST_SHA256 built=$(date -u +%FT%TZ)"
    echo "compiler=$("$cxx" --version | head -1) cxx_extra=${DUCKPOOL_CXX_EXTRA:-} ${cmake_extensions[*]}"
    echo "build_wall_seconds=$wall build_cpu_seconds=$cpu cores=$(nproc)"
  } >"$staged/.complete"

  rm -rf "$prefix"
  mv "$staged" "$prefix"   # one rename: readers see the old state or the complete one
  rm -rf "$scratch"
  trap - EXIT
}

# Opt-in: link the cached files into DUCKPOOL_SYSTEM_PREFIX so plain swift commands find them.
link_into_system_prefix() {
  local system_prefix="$1" dir
  for dir in "$system_prefix/lib/pkgconfig" "$system_prefix/include"; do
    can_write_into "$dir" || { log "$system_prefix is not writable; use make or scripts/with-duckdb instead"; return 1; }
  done
  mkdir -p "$system_prefix/lib/pkgconfig" "$system_prefix/include"
  ln -sfn "$prefix/lib/libduckdb.so" "$system_prefix/lib/libduckdb.so"
  ln -sfn "$prefix/include/duckdb.h" "$system_prefix/include/duckdb.h"
  write_pkg_config "$system_prefix" "$system_prefix/lib/pkgconfig/duckdb.pc"
  command -v ldconfig >/dev/null 2>&1 && ldconfig 2>/dev/null || true
  log "linked libduckdb $DUCKDB_VERSION ($flavour) into $system_prefix"
}

main() {
  # SwiftPM finds libduckdb with pkg-config, cache or no cache.
  command -v pkg-config >/dev/null 2>&1 || install_packages pkg-config
  if ! cache_is_complete; then
    can_write_into "$cache_root" || { log "cannot write the cache $cache_root; set DUCKPOOL_CACHE_DIR"; exit 1; }
    mkdir -p "$cache_root"
    exec 9>"$cache_root/.lock"
    flock 9
    cache_is_complete || build_into_cache   # another run may have finished it while we waited
    flock -u 9
  fi
  if [ -n "${DUCKPOOL_SYSTEM_PREFIX:-}" ]; then link_into_system_prefix "$DUCKPOOL_SYSTEM_PREFIX"; fi
  return 0
}

main "$@"
