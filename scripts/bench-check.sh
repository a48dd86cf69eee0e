#!/usr/bin/env bash
# Callgrind regression gate: counts instructions (Ir) of a fixed matching job per backend, which is
# repeatable where wall time on shared CI machines is not (±40%). Each backend runs the same generated
# rules and replies under `valgrind --tool=callgrind`; a startup-only run (same rules, no replies) is
# subtracted so the figure is matching, not loading or compiling. Compared with
# Benchmarks/callgrind-expected.tsv within a tolerance; --update rewrites that file.
#
# Usage: scripts/bench-check.sh [--update] [--tolerance PCT] [--backends a,b] [--bin PATH]
# Env:   SCRATCH (swift build scratch path, default .build), KEEP=1 keeps the temp dir.
set -euo pipefail

cd "$(dirname "$0")/.."
EXPECTED=Benchmarks/callgrind-expected.tsv
TOLERANCE=3
UPDATE=0
BACKENDS=""
BIN=""
# The fixed job: small enough for valgrind (the whole gate stays under ~3 minutes on 2 cores).
RULE_COUNT=300
RULE_MIX=mixed
RULE_SEED=7
REPLY_COUNT=2000
REPLY_SEED=11

while [ $# -gt 0 ]; do
    case "$1" in
        --update) UPDATE=1 ;;
        --tolerance) TOLERANCE="$2"; shift ;;
        --backends) BACKENDS="$2"; shift ;;
        --bin) BIN="$2"; shift ;;
        -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-check: unknown argument '$1' (see --help)" >&2; exit 64 ;;
    esac
    shift
done

command -v valgrind >/dev/null || { echo "bench-check: valgrind is not installed (apt-get install valgrind)" >&2; exit 2; }

if [ -z "$BIN" ]; then
    SCRATCH="${SCRATCH:-.build}"
    echo "bench-check: building release bouncematch (scratch $SCRATCH)" >&2
    swift build -c release --product bouncematch --scratch-path "$SCRATCH" >&2
    BIN="$SCRATCH/release/bouncematch"
fi
[ -x "$BIN" ] || { echo "bench-check: $BIN is not executable" >&2; exit 2; }

if [ -z "$BACKENDS" ]; then
    BACKENDS="$("$BIN" backends | awk 'NF && $1 !~ /^#/ {print $1}' | paste -sd, -)"
fi
[ -n "$BACKENDS" ] || { echo "bench-check: no backends listed by '$BIN backends'" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-check.XXXXXX")"
if [ "${KEEP:-0}" != 1 ]; then trap 'rm -rf "$WORK"' EXIT; else echo "bench-check: keeping $WORK" >&2; fi

# valgrind 3.19 cannot read the DWARF 5 that Swift emits ("unhandled dwarf2 abbrev form"); Ir counts need
# no debug info, so the measured binary is a copy without it.
cp "$BIN" "$WORK/bouncematch"
strip --strip-debug "$WORK/bouncematch"
BIN="$WORK/bouncematch"

"$BIN" generate rules --count "$RULE_COUNT" --mix "$RULE_MIX" --seed "$RULE_SEED" --out "$WORK/rules.tsv"
"$BIN" generate replies --count "$REPLY_COUNT" --seed "$REPLY_SEED" --out "$WORK/replies.txt"
: > "$WORK/empty.txt"

# Total Ir of one run of `bouncematch match` (its output discarded), from callgrind's summary line.
ir() {
    local backend="$1" replies="$2"
    local out="$WORK/cg.$backend.$(basename "$replies").out"
    valgrind --tool=callgrind --callgrind-out-file="$out" --dump-instr=no --collect-jumps=no \
        "$BIN" match --backend "$backend" --rules "$WORK/rules.tsv" "$replies" >/dev/null 2>"$out.log" || {
        echo "bench-check: '$BIN match --backend $backend' failed under valgrind:" >&2
        tail -20 "$out.log" >&2
        return 1
    }
    awk '/^(summary|totals):/ {print $2; exit}' "$out"
}

declare -A MEASURED
IFS=, read -r -a LIST <<< "$BACKENDS"
for b in "${LIST[@]}"; do
    echo "bench-check: $b ..." >&2
    full=$(ir "$b" "$WORK/replies.txt")
    base=$(ir "$b" "$WORK/empty.txt")
    MEASURED[$b]=$((full - base))
done

JOB="match $RULE_MIX-$RULE_COUNT seed $RULE_SEED x $REPLY_COUNT replies seed $REPLY_SEED"
if [ "$UPDATE" = 1 ]; then
    {
        echo "# bouncematch callgrind expectations: Ir of matching only (full run minus startup-only run)."
        echo "# job: $JOB; regenerate with scripts/bench-check.sh --update"
        printf 'backend\tinstructions\tper_reply\n'
        for b in "${LIST[@]}"; do
            printf '%s\t%s\t%s\n' "$b" "${MEASURED[$b]}" "$((MEASURED[$b] / REPLY_COUNT))"
        done
    } > "$EXPECTED"
    echo "bench-check: wrote $EXPECTED"
    column -t -s $'\t' < <(grep -v '^#' "$EXPECTED")
    exit 0
fi

[ -f "$EXPECTED" ] || { echo "bench-check: $EXPECTED is missing; run scripts/bench-check.sh --update" >&2; exit 2; }

status=0
printf '%-20s %16s %16s %9s  %s\n' backend expected measured delta status
for b in "${LIST[@]}"; do
    exp=$(awk -F'\t' -v b="$b" '$1 == b {print $2}' "$EXPECTED")
    got=${MEASURED[$b]}
    if [ -z "$exp" ]; then
        printf '%-20s %16s %16s %9s  %s\n' "$b" - "$got" - "NEW (not in $EXPECTED; run --update)"
        status=1
        continue
    fi
    verdict=$(awk -v e="$exp" -v g="$got" -v t="$TOLERANCE" 'BEGIN {
        d = (g - e) * 100.0 / e
        s = d > t ? "REGRESSION" : (d < -t ? "faster (run --update to lock in)" : "ok")
        printf "%+8.2f%%  %s", d, s }')
    printf '%-20s %16s %16s %s\n' "$b" "$exp" "$got" "$verdict"
    case "$verdict" in *REGRESSION*) status=1 ;; esac
done
if [ $status -ne 0 ]; then
    echo "bench-check: FAILED: instruction count above expectation by more than $TOLERANCE% (or a backend is new)." >&2
    echo "bench-check: if the change is intended, run scripts/bench-check.sh --update and commit $EXPECTED." >&2
else
    echo "bench-check: ok (tolerance $TOLERANCE%, job: $JOB)"
fi
exit $status
