#!/usr/bin/env bash
# Makes sure PostgreSQL's server programs (initdb, postgres) are installed, for the DuckLake tests,
# which start a private server of their own on loopback and stop it (DuckPoolTestUtils'
# PostgresServer). Installs Debian's postgresql package with apt when running as root (or with
# password-less sudo); otherwise names the command. A no-op once they are there.
set -euo pipefail
log() { printf '[install-postgres] %s\n' "$*" >&2; }

for bin in /usr/lib/postgresql/*/bin; do
  if [ -x "$bin/initdb" ] && [ -x "$bin/postgres" ]; then exit 0; fi
done

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then sudo=(sudo -n); else
    log "PostgreSQL's server is not installed; run: sudo apt-get install -y postgresql"
    exit 1
  fi
fi
log "installing PostgreSQL's server with apt (once per machine)"
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq postgresql >/dev/null
