#!/bin/bash
# Two builds (or two settings of one build) serving the same page side by side: each in turn
# serves a national database (kept by `cargo bench --bench national -- --http --keep FILE`, or
# a PostgreSQL URL), a signed-in coordinator's browser session is opened, and wrk requests PATH
# for SECS seconds on CONNS connections, twice per server start; ROUNDS alternations, so the
# machine's drift falls on both. Compare medians, not single runs. Pages only read, so both
# builds may serve the same database.
#
#   benches/page_ab.sh BIN_A BIN_B DB [PATH (/items/24831)] [CONNS (32)] [SECS (5)] [ROUNDS (3)]
#
# ENV_A and ENV_B add settings to one server's environment ("NAME=value NAME2=value"), to
# compare one build under two settings. The account is the national harness's coordinator
# unless USER_NAME and USER_PASSWORD name another. Needs wrk, curl and python3. The server
# starts by verifying the whole audit trail (about 25 s at a million rows).
set -euo pipefail
BIN_A=$1 BIN_B=$2 DB=$3
PAGE=${4:-/items/24831} CONNS=${5:-32} SECS=${6:-5} ROUNDS=${7:-3}
PORT=${PORT:-8932}
USER_NAME=${USER_NAME:-bench-coordinator}
USER_PASSWORD=${USER_PASSWORD:-bench-national-password-2026}
SUMMARY=$(dirname "$0")/wrk_summary.lua
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

case $DB in postgres://* | postgresql://*) URL=$DB ;; *) URL=sqlite://$DB ;; esac

one() {
    local bin=$1 extra=$2 pid cookie
    # shellcheck disable=SC2086 # ENV_* are lists of NAME=value words.
    env DATABASE_URL="$URL" AIDLEDGER_REPORTING_PERIODS=calendar ROCKET_PORT=$PORT $extra \
        ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=critical \
        ROCKET_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" "$bin" serve >"$WORK/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 240); do
        curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
        sleep 0.5
    done
    cookie=$(curl -s -o /dev/null -c - -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\"}" \
        "http://127.0.0.1:$PORT/api/v1/auth/login" | awk '$6 == "aidledger_session" { print $7 }')
    for _ in 1 2; do
        wrk -t2 -c"$CONNS" -d"${SECS}s" -H "Cookie: aidledger_session=$cookie" -s "$SUMMARY" \
            "http://127.0.0.1:$PORT$PAGE" | tail -n 1
    done | paste -sd ';' -
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r, A ($BIN_A ${ENV_A:-}): $(one "$BIN_A" "${ENV_A:-}")"
    echo "round $r, B ($BIN_B ${ENV_B:-}): $(one "$BIN_B" "${ENV_B:-}")"
done
