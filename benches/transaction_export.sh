#!/bin/sh
# The transaction-export benchmark: a demo SQLite database filled with ROWS generated money
# rows (benches/transaction_export.sql, with an audit entry each), then
# `aidledger export transactions` of everything and of one quarter, timed with /usr/bin/time -v
# (wall time and peak RSS). Memory must not grow with ROWS: run it with 100000 and 1000000.
#
#   benches/transaction_export.sh [ROWS (1000000)] [DIR (a new temporary folder)]
#
# It runs the binary AIDLEDGER_BIN (default target/debug/aidledger, the dev build `cargo build`
# makes); build it first. Needs sqlite3 (3.37 or newer, for STRICT tables) and /usr/bin/time.
set -eu
ROWS=${1:-1000000}
DIR=${2:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=${AIDLEDGER_BIN:-$HERE/../target/debug/aidledger}
DB=$DIR/transaction-export.db
export DATABASE_URL="sqlite://$DB" AIDLEDGER_REPORTING_PERIODS=calendar

rm -f "$DB" "$DB-wal" "$DB-shm"
"$BIN" demo >/dev/null
start=$(date +%s)
sqlite3 "$DB" ".parameter set @rows $ROWS" ".read $HERE/transaction_export.sql" | tail -n 1
echo "generated $ROWS rows in $(( $(date +%s) - start )) s; database $(du -m "$DB" | cut -f1) MiB"

measure() {
    name=$1
    out=$DIR/$name.csv
    shift
    /usr/bin/time -v "$BIN" export transactions --out "$out" "$@" 2>"$DIR/time.txt" | head -n 1
    wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$DIR/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$DIR/time.txt")
    echo "  $name $*: wall $wall, peak RSS $rss KiB, file $(du -m "$out" | cut -f1) MiB, $(wc -l <"$out") lines"
}
measure all
measure q1 --period 2025-Q1
echo "files in $DIR"
