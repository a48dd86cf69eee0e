#!/usr/bin/env bash
# Builds every libFuzzer target of FuzzTesting/ with -sanitize=fuzzer,address.
#   FuzzTesting/build.sh            debug build (fast to build; what smoke.sh uses)
#   FUZZ_CONFIG=release FuzzTesting/build.sh   optimized, for long runs
# Binaries: FuzzTesting/.build/<config>/Fuzz{RegexParser,RuleFormats,ReplyParser,Differential}
set -euo pipefail
cd "$(dirname "$0")"
config="${FUZZ_CONFIG:-debug}"

# Swift's Linux toolchain ships libFuzzer and ASan in its own clang runtime folder; without them the link
# fails, so say where they were looked for (Debian's libclang-rt-dev matches only a Debian clang, not swiftc).
swiftc_path="$(command -v swiftc)"
rt_dir="$(dirname "$(readlink -f "$swiftc_path")")/../lib/swift/clang/lib/linux"
arch="$(uname -m)"
if ! ls "$rt_dir"/libclang_rt.fuzzer-"$arch".a >/dev/null 2>&1; then
    echo "build.sh: no libclang_rt.fuzzer-$arch.a in $rt_dir: this Swift toolchain has no libFuzzer" >&2
    exit 1
fi
if ! pkg-config --exists libpcre2-8 libhs 2>/dev/null; then
    echo "build.sh: libpcre2-dev and libhyperscan-dev are needed (make deps)" >&2
    exit 1
fi

# --sanitize=fuzzer makes SwiftPM link with libFuzzer's main (no entry-point renaming); the comma form
# after it reaches every frontend job (swiftc keeps only the last -sanitize=, so separate flags would
# drop the coverage instrumentation libFuzzer needs).
swift build -c "$config" --scratch-path .build --sanitize=fuzzer \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library "$@" 2>&1 \
    | grep -vE "ld.gold: warning: Cannot export local symbol|^\[[0-9]+/[0-9]+\] (Compiling|Emitting|Write|Wrapping|Linking)" || true
for t in FuzzRegexParser FuzzRuleFormats FuzzReplyParser FuzzDifferential; do
    [ -x ".build/$config/$t" ] || { echo "build.sh: .build/$config/$t was not built" >&2; exit 1; }
done
echo "build.sh: built 4 targets in FuzzTesting/.build/$config"
