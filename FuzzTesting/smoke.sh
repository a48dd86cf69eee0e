#!/usr/bin/env bash
# Short libFuzzer run of every target (default 20 s each): FuzzTesting/smoke.sh [seconds]
# Builds first. Exits non-zero when a target finds a crash, leak-free timeout or broken property; the
# input is in FuzzTesting/artifacts/ — add it to Tests/Fixtures/fuzz-regressions/ once fixed.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-20}"
./build.sh
failed=0
for t in regex-parser rule-formats reply-parser differential; do
    echo "== $t: ${seconds}s"
    if ./run.sh "$t" -max_total_time="$seconds" -print_final_stats=1 > ".work-$t.log" 2>&1; then
        grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb)" ".work-$t.log" || true
    else
        failed=1
        echo "!! $t failed; last lines:"
        tail -n 30 ".work-$t.log"
    fi
done
exit "$failed"
