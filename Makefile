# BounceMatch — every entry point a user or CI needs. See README.md.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/bouncematch
SYSTEM_PACKAGES := libpcre2-dev libhyperscan-dev pkg-config zlib1g-dev

.PHONY: all deps build run test bench bench-suite bench-check fuzz-smoke clean

all: build

# Installs the C libraries the PCRE2 and Hyperscan backends link against, only when missing.
deps:
	@if pkg-config --exists libpcre2-8 libhs zlib 2>/dev/null; then \
		echo "deps: libpcre2-8 $$(pkg-config --modversion libpcre2-8), libhs $$(pkg-config --modversion libhs) present"; \
	else \
		echo "deps: installing $(SYSTEM_PACKAGES)"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

build: deps
	$(SWIFT) build -c release --product bouncematch

# The main job on the bundled corpus: validate the demo rules, explain one reply, run every backend on
# the bundled replies and prove they agree, and classify them.
run: build
	@./scripts/run-demo.sh $(BIN)

test: deps
	$(SWIFT) test

# Throughput per backend on the bundled corpus, with the differential check first and a recommendation.
bench: build
	$(BIN) bench

# The package-benchmark suites (nested package; first release build takes several minutes).
bench-suite: deps
	cd Benchmarks && $(SWIFT) package benchmark

# Noise-free regression gate: callgrind instruction counts per backend vs Benchmarks/callgrind-expected.tsv.
bench-check: deps
	./scripts/bench-check.sh

# A short libFuzzer run of every target in FuzzTesting/ (about 20 s each); see docs/FUZZING.md.
fuzz-smoke: deps
	./FuzzTesting/smoke.sh

clean:
	rm -rf .build
