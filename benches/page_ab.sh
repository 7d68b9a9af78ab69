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
# shellcheck source=benches/serve.sh
. "$(dirname "$0")/serve.sh"

one() {
    local bin=$1 extra=$2 cookie
    serve "$bin" "$extra" "$WORK/server.log"
    cookie=$(sign_in)
    for _ in 1 2; do
        wrk -t2 -c"$CONNS" -d"${SECS}s" -H "Cookie: aidledger_session=$cookie" -s "$SUMMARY" \
            "http://127.0.0.1:$PORT$PAGE" | tail -n 1
    done | paste -sd ';' -
    kill "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
}

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r, A ($BIN_A ${ENV_A:-}): $(one "$BIN_A" "${ENV_A:-}")"
    echo "round $r, B ($BIN_B ${ENV_B:-}): $(one "$BIN_B" "${ENV_B:-}")"
done
