#!/bin/sh
# The transaction-import benchmark: the demo database, then `aidledger import csv` of ROWS new
# disbursements (benches/transaction_import.py writes them, numbered after the demo's rows),
# timed with /usr/bin/time -v (wall time and peak RSS), then `audit verify`. Memory must not
# grow with ROWS: run it with 100000 and 1000000. On SQLite by default; give a PostgreSQL URL
# of an EMPTY database as PG_URL to run it there instead (the script drops and recreates its
# schema `public`).
#
#   [PG_URL=postgres://postgres@127.0.0.1:5432/bench] benches/transaction_import.sh [ROWS (1000000)] [DIR]
#
# It runs AIDLEDGER_BIN (default target/release/aidledger: `cargo build --release` first).
set -eu
ROWS=${1:-1000000}
DIR=${2:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${AIDLEDGER_BIN:-$HERE/../target/release/aidledger}
if [ -n "${PG_URL:-}" ]; then
    psql -q "$PG_URL" -c 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;'
    export DATABASE_URL="$PG_URL"
else
    DB=$DIR/transaction-import.db
    rm -f "$DB" "$DB-wal" "$DB-shm"
    export DATABASE_URL="sqlite://$DB"
fi
export AIDLEDGER_REPORTING_PERIODS=calendar

"$BIN" demo >/dev/null
"$BIN" export csv --out "$DIR/demo" --lang en >/dev/null
python3 "$HERE/transaction_import.py" "$DIR/demo" "$ROWS" "$DIR/disbursements.csv"
echo "file: $ROWS rows, $(du -m "$DIR/disbursements.csv" | cut -f1) MiB"

${PERF:-} /usr/bin/time -v "$BIN" import csv "$DIR/disbursements.csv" 2>"$DIR/time.txt" | tail -n 1
wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$DIR/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
cpu=$(sed -n 's/.*User time (seconds): //p' "$DIR/time.txt")
echo "import: wall $wall, user CPU ${cpu} s, peak RSS $rss KiB"
/usr/bin/time -f "audit verify: wall %e s, peak RSS %M KiB" "$BIN" audit verify 2>&1 | tail -n 2
echo "files in $DIR"
