#!/usr/bin/env bash
# A private PostgreSQL server for Pulumi's self-managed PostgreSQL state backend (docs/operations.md, "Shared state").
#
#   scripts/state-db.sh start <dir>   starts it (creating it on first use) on a free loopback port, data in <dir>;
#                                     the last line printed is the backend URL for PULUMI_BACKEND_URL
#   scripts/state-db.sh url <dir>     prints the URL of the running server
#   scripts/state-db.sh stop <dir>    stops it (the data stays in <dir>; `start` brings it back)
#
# The tests and the benchmarks use it; a team points PULUMI_BACKEND_URL at its own database instead.
# - Installs Debian's `postgresql` package when no server binaries are found (as scripts/ensure-pulumi.sh builds
#   what it needs).
# - The database user `pulumi` has a random password, kept only in <dir>/pgpass (mode 600). The URL names that file
#   (`passfile=`), so neither the URL nor anything the CLI prints or records holds the password.
# - It listens on 127.0.0.1 only, without a Unix socket (so it never meets another server's socket or lock file).
# - PostgreSQL refuses to run as root: when run as root, the server runs as the `postgres` user the package creates.
set -euo pipefail

usage() {
  echo "usage: $0 start|url|stop <dir>" >&2
  exit 2
}
[ $# -eq 2 ] || usage
cmd="$1"
mkdir -p "$2"
dir="$(cd "$2" && pwd)"
data="$dir/data"
log="$dir/postgres.log"
passfile="$dir/pgpass"
user="pulumi"
database="pulumi"

say() { echo "state-db: $*" >&2; }

# The newest installed server's binaries: Debian keeps them in /usr/lib/postgresql/<major>/bin, off PATH.
find_bindir() {
  local candidate
  candidate="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  if [ -n "$candidate" ] && [ -x "$candidate/pg_ctl" ]; then
    echo "$candidate"
  elif command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v pg_ctl)"
  fi
}

bindir="$(find_bindir)"
if [ -z "$bindir" ] && [ "$cmd" = "start" ]; then
  say "PostgreSQL is not installed; installing Debian's postgresql package"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  # Serialised: parallel test files may start servers at the same moment.
  (
    flock 9
    if [ -z "$(find_bindir)" ]; then
      $sudo apt-get update -qq >&2
      DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
    fi
  ) 9>/tmp/genesys-state-db-install.lock
  bindir="$(find_bindir)"
fi
[ -n "$bindir" ] || {
  say "no PostgreSQL server binaries found"
  exit 1
}

# As root, every server command runs as the package's `postgres` user.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

port_of() { sed -n 4p "$data/postmaster.pid" 2>/dev/null; }

url() {
  echo "postgres://$user@127.0.0.1:$(port_of)/$database?sslmode=disable&passfile=$passfile"
}

running() { [ -f "$data/postmaster.pid" ] && as_server "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; }

free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

init() {
  if [ "$(id -u)" -eq 0 ]; then
    # The postgres user must be able to reach <dir>/data: give it search (not read) permission on the way there.
    local p="$dir"
    while [ "$p" != "/" ]; do
      if ! runuser -u postgres -- test -x "$p"; then
        say "granting search permission (o+x) on $p so the postgres user can reach $data"
        chmod o+x "$p"
      fi
      p="$(dirname "$p")"
    done
  fi
  local password
  password="$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')"
  mkdir -p "$data"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$data"
  chmod 700 "$data"
  local pwfile="$dir/.initdb-password"
  (umask 077 && printf '%s\n' "$password" >"$pwfile")
  [ "$(id -u)" -ne 0 ] || chown postgres: "$pwfile"
  as_server "$bindir/initdb" -D "$data" -U "$user" --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --no-locale \
    >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    rm -rf "$pwfile" "$data"
    exit 1
  }
  rm -f "$pwfile"
  (umask 077 && printf '127.0.0.1:*:*:%s:%s\n' "$user" "$password" >"$passfile")
  touch "$dir/.new"
}

start() {
  if running; then
    url
    return
  fi
  [ -f "$data/PG_VERSION" ] || init
  [ "$(id -u)" -ne 0 ] || { touch "$log" && chown postgres: "$log"; }
  local attempt port
  for attempt in 1 2 3 4 5; do
    port="$(free_port)"
    # Another process may take the port between free_port and the server's bind: then try another one.
    if as_server "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=''" start >/dev/null; then
      break
    fi
    if [ "$attempt" -eq 5 ]; then
      tail -n 20 "$log" >&2
      exit 1
    fi
    say "could not start on port $port, trying another"
  done
  if [ -f "$dir/.new" ]; then
    PGPASSFILE="$passfile" "$bindir/psql" -h 127.0.0.1 -p "$port" -U "$user" -d postgres -v ON_ERROR_STOP=1 -qc \
      "CREATE DATABASE $database" >/dev/null
    rm -f "$dir/.new"
  fi
  say "PostgreSQL $(cat "$data/PG_VERSION") on 127.0.0.1:$port, data in $data"
  url
}

stop() {
  if running; then
    as_server "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
  fi
}

case "$cmd" in
  start) start ;;
  url)
    running || {
      say "no server running in $dir"
      exit 1
    }
    url
    ;;
  stop) stop ;;
  *) usage ;;
esac
