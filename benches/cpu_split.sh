#!/bin/bash
# Where one page's CPU goes under load: a build serves a national database (kept by `cargo
# bench --bench national -- --keep FILE`, or a PostgreSQL URL), a signed-in coordinator's
# browser session is opened, wrk requests PATH on CONNS connections for SECS seconds, and
# `perf stat -e task-clock` counts the CPU of the server, of every PostgreSQL process (when the
# database is PostgreSQL) and of the whole machine (load generator included) meanwhile. Each is
# printed per request served. Run it several times, in turn with another build: the machine
# drifts.
#
#   benches/cpu_split.sh BIN DB [PATH (/items/24831)] [CONNS (32)] [SECS (8)]
#
# Needs wrk, curl, python3 and perf (Debian's linux-perf). USER_NAME and USER_PASSWORD name
# the account, as in page_ab.sh. The server starts by verifying the whole audit trail.
set -euo pipefail
BIN=$1 DB=$2
PAGE=${3:-/items/24831} CONNS=${4:-32} SECS=${5:-8}
PORT=${PORT:-8933}
USER_NAME=${USER_NAME:-bench-coordinator}
USER_PASSWORD=${USER_PASSWORD:-bench-national-password-2026}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

case $DB in postgres://* | postgresql://*) URL=$DB ;; *) URL=sqlite://$DB ;; esac

# shellcheck source=benches/serve.sh
. "$(dirname "$0")/serve.sh"
serve "$BIN" "" "$WORK/server.log"
pid=$SERVER_PID
cookie=$(sign_in)
load() {
    wrk -t2 -c"$CONNS" -d"$1" -H "Cookie: aidledger_session=$cookie" "http://127.0.0.1:$PORT$PAGE"
}
load 3s >/dev/null # warm the pool's connections and their statement caches
counters=()
perf stat -x, -e task-clock -p "$pid" -o "$WORK/server.perf" -- sleep "$SECS" &
counters+=($!)
if [ "$URL" = "$DB" ]; then
    perf stat -x, -e task-clock -p "$(pgrep -d, postgres)" -o "$WORK/postgres.perf" -- sleep "$SECS" &
    counters+=($!)
fi
perf stat -x, -e task-clock -a -o "$WORK/machine.perf" -- sleep "$SECS" &
counters+=($!)
load "${SECS}s" >"$WORK/wrk.txt"
wait "${counters[@]}"
kill "$pid"
wait "$pid" 2>/dev/null || true

served=$(awk '/requests in/ { print $1 }' "$WORK/wrk.txt")
per() { # microseconds of CPU per request, from perf's task-clock in milliseconds
    awk -F, -v n="$served" '/task-clock/ { printf "%.0f", $1 * 1000 / n }' "$1"
}
line="$(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt") req/s; CPU per request: server $(per "$WORK/server.perf") µs"
[ -f "$WORK/postgres.perf" ] && line+=", PostgreSQL $(per "$WORK/postgres.perf") µs"
echo "$line, whole machine $(per "$WORK/machine.perf") µs"
