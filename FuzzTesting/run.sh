#!/usr/bin/env bash
# Runs one libFuzzer target on its seed corpus: FuzzTesting/run.sh <target> [libFuzzer flags...]
#   targets: regex-parser rule-formats reply-parser differential
# New interesting inputs go to FuzzTesting/.work/<target>/ (not committed); crashes to FuzzTesting/crash-*.
set -euo pipefail
cd "$(dirname "$0")"
config="${FUZZ_CONFIG:-debug}"
target="${1:?usage: run.sh <regex-parser|rule-formats|reply-parser|differential> [libFuzzer flags]}"
shift
case "$target" in
    regex-parser) bin=FuzzRegexParser ;;
    rule-formats) bin=FuzzRuleFormats ;;
    reply-parser) bin=FuzzReplyParser ;;
    differential) bin=FuzzDifferential ;;
    *) echo "run.sh: unknown target $target" >&2; exit 64 ;;
esac
mkdir -p ".work/$target" artifacts
# detect_leaks=0: Swift's runtime keeps metadata caches alive on purpose, which LeakSanitizer reports.
ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}" exec ".build/$config/$bin" \
    -max_len=4096 -timeout=10 -rss_limit_mb=4096 -artifact_prefix="artifacts/$target-" \
    "$@" ".work/$target" "Corpus/$target"
