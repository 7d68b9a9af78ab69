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

env DATABASE_URL="$URL" AIDLEDGER_REPORTING_PERIODS=calendar ROCKET_PORT=$PORT \
    ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=critical \
    ROCKET_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" "$BIN" serve >"$WORK/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 240); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
    sleep 0.5
done
cookie=$(curl -s -o /dev/null -c - -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login" | awk '$6 == "aidledger_session" { print $7 }')
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
