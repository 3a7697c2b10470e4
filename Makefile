# coursepack's one test command, for developers and CI alike:
#
#	make test
#
# It needs Go, Node.js 20 with npm, and Debian's chromium and libxml2-utils
# (xmllint); .ci/run installs the last two when they are missing.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c

GO ?= go
NODE ?= node
NPM ?= npm

# The player's JavaScript unit tests (node:test). By default they run when
# templates/ holds any *.test.js file; set PLAYER_JS_TESTS to the player's
# own command to change that, or to nothing to skip them.
PLAYER_JS_TESTS ?= $(if $(shell find templates -name '*.test.js' -not -path '*/node_modules/*' 2>/dev/null | head -n 1),$(NODE) --test templates/)

# What `make example` builds, and where to.
EXAMPLE ?= examples/stepping-into-leadership
EXAMPLE_OUT ?= build/example
EXAMPLE_FORMAT ?= scorm12

E2E_DEPS := e2e/node_modules/.package-lock.json

# The Go fuzz targets, as package:Name. Their seeds are in each package's
# testdata/fuzz/<Name>/; plain `go test` runs the seeds as tests.
FUZZ_TARGETS := \
	./course:FuzzLoadCourseYAML \
	./course:FuzzLoadModule \
	./course:FuzzCourseBlocks \
	./inspect:FuzzInspectZip \
	./inspect:FuzzInspectManifest \
	./xliff:FuzzParse

# How long `make fuzz` runs each target, and `make fuzz-short` (part of
# `make test`), and the flags of both.
FUZZTIME ?= 20s
FUZZTIME_SHORT ?= 10s
FUZZFLAGS ?= -parallel=2 -fuzzminimizetime=10s

.PHONY: test go-test js-test e2e e2e-deps example bench bench-player perf fuzz fuzz-short

## test: go vet, Go tests with the race detector, a short pass of every
## fuzz target, the player's JavaScript tests, then the end-to-end tests in
## headless Chromium. It stops at the first suite that fails; make -k test
## runs them all.
test: e2e-deps go-test fuzz-short js-test e2e

## fuzz: run each fuzz target for FUZZTIME (make fuzz FUZZTIME=10m for a
## longer hunt). An input that fails is written to the target's
## testdata/fuzz/ folder: commit it with the fix, as a regression test.
fuzz:
	$(call run-fuzz,$(FUZZTIME))

## fuzz-short: each fuzz target for FUZZTIME_SHORT, so that a regression
## surfaces in CI (about a minute and a half in all).
fuzz-short:
	$(call run-fuzz,$(FUZZTIME_SHORT))

# A target that fails with a bare "context deadline exceeded" as its time
# runs out, having written no failing input, met the race of Go 1.26's
# fuzzing coordinator with its workers at the deadline
# (https://go.dev/issue/75804, fixed in Go 1.27): it runs again, three
# times in all, before that counts as a failure. Any other failure (a
# failing input, a panic, a build error) fails at once.
define run-fuzz
	@log=$$(mktemp); trap 'rm -f "$$log"' EXIT; \
	for target in $(FUZZ_TARGETS); do \
		pkg=$${target%%:*}; name=$${target##*:}; \
		for try in 1 2 3; do \
			echo "fuzz: $$name in $$pkg for $(1)"; \
			rc=0; $(GO) test "$$pkg" -run '^$$' -fuzz "^$$name\$$" -fuzztime $(1) $(FUZZFLAGS) > "$$log" 2>&1 || rc=$$?; \
			grep -v '^fuzz: elapsed' "$$log" || true; \
			if [ $$rc -eq 0 ]; then break; fi; \
			if [ $$try -lt 3 ] && grep -q 'context deadline exceeded' "$$log" && ! grep -q 'Failing input written' "$$log"; then \
				echo "fuzz: $$name stopped at its deadline with nothing found (go.dev/issue/75804); again"; \
				continue; \
			fi; \
			exit 1; \
		done; \
	done
endef

go-test:
	$(GO) vet ./...
	$(GO) test -race ./...

js-test:
ifneq ($(strip $(PLAYER_JS_TESTS)),)
	$(PLAYER_JS_TESTS)
else
	@echo "no player JavaScript tests"
endif

e2e: e2e-deps
	cd e2e && $(NODE) --test

## e2e-deps: npm ci in e2e/ when node_modules is missing or older than the
## lock file. (e2e/.npmrc turns install scripts off: nothing is downloaded
## but the packages themselves.)
e2e-deps: $(E2E_DEPS)

$(E2E_DEPS): e2e/package.json e2e/package-lock.json
	cd e2e && $(NPM) ci
	touch $@

## example: build the example course.
example:
	$(GO) run ./cmd/coursepack build $(EXAMPLE) --format $(EXAMPLE_FORMAT) --out $(EXAMPLE_OUT)

# What `make bench` runs: a -bench pattern, such as Load or 'Build/medium'.
BENCH ?= .

## bench: every Go benchmark, with allocations; among them the phases of a
## build on synthetic courses (course.BenchmarkLoad, bundle.BenchmarkBuild,
## scorm.BenchmarkManifest12, dist.BenchmarkZipPackage and
## BenchmarkWriteAll, coursepack.BenchmarkBuild). BENCH=Load runs only
## those matching. See docs/performance.md.
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -benchmem ./...

## perf: time whole builds of small, medium and large synthetic courses
## against a plain goldmark + archive/zip baseline, with peak memory, the
## example end to end, all formats against one and a byte-identity check
## (bench/perf.sh; RUNS, LARGE_RUNS and SIZES tune it).
perf:
	bench/perf.sh

## bench-player: time to the player's first page in headless Chromium for
## a package of each format (e2e/bench-player.js; N launches each, median
## and 90th percentile; FORMATS narrows them). Prints, asserts nothing.
bench-player: e2e-deps
	cd e2e && $(NODE) bench-player.js
