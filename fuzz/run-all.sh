#!/usr/bin/env sh
# Runs every fuzz target for SECS seconds each (default 30) at the lowest CPU priority and prints one
# line per target: executions, seconds, crashes. Needs cargo-fuzz (`cargo install cargo-fuzz`); the
# stable toolchain works with RUSTC_BOOTSTRAP=1. Seed first with ./seed-corpus.sh.
# Usage: fuzz/run-all.sh [SECS] [target...]
set -u
cd "$(dirname "$0")"
secs=${1:-30}
[ $# -gt 0 ] && shift
targets=${*:-$(RUSTC_BOOTSTRAP=1 cargo fuzz list)}
mkdir -p logs
for t in $targets; do
    RUSTC_BOOTSTRAP=1 nice -n 19 cargo fuzz run -O "$t" -- -max_total_time="$secs" -rss_limit_mb=2048 \
        > "logs/$t.log" 2>&1
    rc=$?
    runs=$(grep -o 'Done [0-9]* runs in [0-9]* second' "logs/$t.log" | tail -1)
    crashes=$(find "artifacts/$t" -type f 2>/dev/null | wc -l)
    echo "$t: exit=$rc ${runs:-no summary (see fuzz/logs/$t.log)} artifacts=$crashes"
done
