#!/bin/bash
# Two builds' audited disbursement POST side by side: each binary in turn serves its own copy
# of a national database (kept by `cargo bench --bench national -- --http --keep FILE`), or a
# PostgreSQL database given by its URL, and wrk drives
# `POST /api/v1/aid-items/<open item>/disbursements` (bearer token, a fresh Idempotency-Key per
# request) for SECS seconds on CONNS connections; ROUNDS alternations, so the machine's drift
# falls on both. Compare medians, not single runs.
#
#   benches/post_ab.sh BIN_A DB_A BIN_B DB_B [CONNS (32)] [SECS (8)] [ROUNDS (3)]
#
# BIN_* are `aidledger` binaries (release builds); DB_* are SQLite files of the same national
# data (each binary writes into its own) or `postgres://` URLs (psql must reach them). The
# account is the national harness's coordinator unless USER_NAME and USER_PASSWORD name
# another (the demo's, say). Needs wrk, curl and python3. The server starts by verifying the
# whole audit trail (about 25 s at a million rows).
set -euo pipefail
BIN_A=$1 DB_A=$2 BIN_B=$3 DB_B=$4
CONNS=${5:-32} SECS=${6:-8} ROUNDS=${7:-3}
PORT=${PORT:-8931}
USER_NAME=${USER_NAME:-bench-coordinator}
USER_PASSWORD=${USER_PASSWORD:-bench-national-password-2026}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

is_pg() { case $1 in postgres://* | postgresql://*) return 0 ;; *) return 1 ;; esac; }
url() { if is_pg "$1"; then echo "$1"; else echo "sqlite://$1"; fi; }
# One value read straight from DB_A.
scalar() {
    if is_pg "$DB_A"; then
        psql "$DB_A" -qAt -c "$1"
    else
        python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$DB_A" "$1"
    fi
}

# What the national harness posts to: the first implementing item, on the last USD rate's date
# (not after today).
ITEM=$(scalar "SELECT id FROM aid_item ORDER BY CASE WHEN status = 'implementing' THEN 0 ELSE 1 END, id LIMIT 1")
DAY=$(scalar "SELECT MAX(rate_date) FROM exchange_rate WHERE currency = 'USD'")
TODAY=$(date +%F)
if [[ $DAY > $TODAY ]]; then DAY=$TODAY; fi

cat >"$WORK/post.lua" <<'LUA'
local n = 0
function setup(thread) n = n + 1; thread:set("tid", n) end
local count = 0
function request()
  count = count + 1
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = prefix .. "-" .. tid .. "-" .. count}, body)
end
LUA

one() {
    local bin=$1 db=$2 pid token
    DATABASE_URL=$(url "$db") AIDLEDGER_REPORTING_PERIODS=calendar ROCKET_PORT=$PORT \
        ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=critical \
        ROCKET_SECRET_KEY=$(head -c 32 /dev/urandom | base64) "$bin" serve >"$WORK/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 240); do
        curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break
        sleep 0.5
    done
    token=$(curl -s -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\",\"name\":\"post_ab\"}" \
        "http://127.0.0.1:$PORT/api/v1/auth/token" |
        python3 -c 'import sys, json; print(json.load(sys.stdin)["token"])')
    {
        echo "token = \"$token\"; path = \"/api/v1/aid-items/$ITEM/disbursements\""
        echo "body = '{\"amount\":\"10.00\",\"currency\":\"USD\",\"value_date\":\"$DAY\"}'"
        echo "prefix = \"post-ab-$(date +%s%N)\""
        cat "$WORK/post.lua" "$(dirname "$0")/wrk_summary.lua"
    } >"$WORK/run.lua"
    wrk -t"$(( CONNS < 2 ? 1 : 2 ))" -c"$CONNS" -d"${SECS}s" -s "$WORK/run.lua" "http://127.0.0.1:$PORT" | tail -n 1
    kill "$pid"
    wait "$pid" 2>/dev/null || true
}

for r in $(seq 1 "$ROUNDS"); do
    echo "round $r, A ($BIN_A): $(one "$BIN_A" "$DB_A")"
    echo "round $r, B ($BIN_B): $(one "$BIN_B" "$DB_B")"
done
