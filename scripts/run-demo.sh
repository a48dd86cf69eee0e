#!/usr/bin/env bash
# `make run`: the main job on the bundled corpus, printed for a person to read.
set -euo pipefail
BIN=${1:-.build/release/bouncematch}
cd "$(dirname "$0")/.."
hr() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

hr "Validate the demo rules (bouncematch check)"
"$BIN" check --rules corpora/rules-demo.tsv

hr "Lint a PowerMTA config written from the seed document (bouncematch check)"
"$BIN" check --no-backends --rules Tests/Fixtures/formats/powermta-block.conf || true

if [ -d ../shared/corpora/kumomta ]; then
  hr "Lint KumoMTA's shipped classifier rules, community then iana (../shared/corpora, read in place)"
  "$BIN" check --no-backends --case-sensitive --rules ../shared/corpora/kumomta/rules-kumomta-bounces.tsv \
    --rules ../shared/corpora/kumomta/rules-kumomta-iana.tsv | grep -E 'shadow|duplicate|group|warning' | head -12 || true
fi

hr "Explain one reply (bouncematch test)"
"$BIN" test --rules corpora/rules-demo.tsv "550-5.1.1 The email account that you tried to reach does not exist.
550 5.1.1 Please try double-checking the recipient's email address for typos."

hr "Every backend on the bundled corpus: $(wc -l < corpora/replies-5000.txt) replies x $(($(wc -l < corpora/rules-mixed-300.tsv) - 1)) rules (bouncematch diff)"
"$BIN" diff --rules corpora/rules-mixed-300.tsv corpora/replies-5000.txt

hr "Classify a generated PowerMTA accounting log (100,000 records) and show what the rules miss (bouncematch classify)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" generate accounting --records 100000 --seed 42 --out "$tmp/acct.csv"
"$BIN" classify --rules corpora/rules-demo.tsv --top 10 "$tmp/acct.csv"
