# Sourced by page_ab.sh and cpu_split.sh: serving a national database and signing in.
#
# serve BIN "EXTRA_ENV" LOG starts BIN on $URL at $PORT with the settings in EXTRA_ENV
# ("NAME=value …"), waits for /healthz (the server first verifies the whole audit trail) and
# sets $SERVER_PID. sign_in prints the session cookie of $USER_NAME / $USER_PASSWORD.

serve() {
    local bin=$1 extra=$2 log=$3
    # shellcheck disable=SC2086 # EXTRA_ENV is a list of NAME=value words.
    env DATABASE_URL="$URL" AIDLEDGER_REPORTING_PERIODS=calendar ROCKET_PORT=$PORT $extra \
        ROCKET_ADDRESS=127.0.0.1 ROCKET_LOG_LEVEL=critical \
        ROCKET_SECRET_KEY="$(head -c 32 /dev/urandom | base64)" "$bin" serve >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 240); do
        curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && return 0
        sleep 0.5
    done
    echo "the server did not answer /healthz within 120 s; see $log" >&2
    return 1
}

sign_in() {
    curl -s -o /dev/null -c - -X POST -H 'Content-Type: application/json' \
        -d "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASSWORD\"}" \
        "http://127.0.0.1:$PORT/api/v1/auth/login" | awk '$6 == "aidledger_session" { print $7 }'
}
