# Thin wrapper over CMake + CTest. `make run` and `make test` work on a fresh Debian 12 machine:
# `make run` first installs the missing build packages, `make test` everything the tests use
# (scripts/install-deps.sh [--test]; scripts/pristine-check.sh checks this in a debootstrapped root).
BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PREFIX ?= /usr/local
CMAKE_FLAGS ?=

.PHONY: all deps deps-test deps-bench build run test test-sanitize test-clang bench bench-loaded install clean format fuzz fuzz-long docs-validation calibrate \
	docs-architecture

all: build

deps:
	@bash scripts/install-deps.sh

# Everything the tests use (clang, MPI, valgrind, numpy, pandas, pytest, Chromium, Node.js, npm
# and the browser test's npm packages): `make test` installs it, the tests never do.
deps-test:
	@bash scripts/install-deps.sh --test

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/mnsim run --out mnsim-out

# Configured again: the test tools installed after a first `make run` (Open MPI) are found.
test: deps-test build
	cmake $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS)
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

test-sanitize: deps-test
	cmake -S . -B build-asan -DMNSIM_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DMNSIM_OPENMP=OFF
	cmake --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

# The same build and tests with clang (-Werror), as CI runs them.
test-clang: deps-test
	CC=clang cmake -S . -B build-clang
	cmake --build build-clang -j $(JOBS)
	cd build-clang && ctest --output-on-failure -j $(JOBS)

# The peers' packages too (SUNDIALS CVODE for bench_cvode); configured again so a build made
# before they were installed finds them.
deps-bench:
	@bash scripts/install-deps.sh --bench

bench: deps-bench build
	cmake $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	bash bench/run.sh $(BUILD)

# The benches beside a busy process pinned to one core (docs/benchmarks.md, "Beside a busy
# process"): 1 and 2 threads, OpenMP's spinning and passive wait policies.
bench-loaded: deps-bench build
	cmake $(BUILD) >/dev/null
	cmake --build $(BUILD) -j $(JOBS) --target benchmarks
	bash bench/run.sh --loaded $(BUILD)

# PREFIX and DESTDIR apply at install time (every installed path is relative to the prefix), so
# `make install PREFIX=/opt/mnsim DESTDIR=/tmp/stage` works whatever the build was configured with.
install: build
	DESTDIR="$(DESTDIR)" cmake --install $(BUILD) --prefix "$(PREFIX)"

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) build-asan build-clang

# Fuzz every reader (clang libFuzzer, ASan+UBSan; fuzz/run.sh, docs/reliability.md): FUZZ_SECONDS
# per harness (fuzz: 60, fuzz-long: 3600), FUZZ_TARGETS to choose them, FUZZ_PARALLEL at once;
# figures in build-fuzz/stats.tsv.
FUZZ_SECONDS ?= 60
FUZZ_PARALLEL ?= 1
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_PARALLEL=$(FUZZ_PARALLEL) bash fuzz/run.sh

fuzz-long:
	FUZZ_SECONDS=3600 FUZZ_PARALLEL=$(FUZZ_PARALLEL) bash fuzz/run.sh

# docs/validation.md and docs/validation.svg from `mnsim validate` (simulated vs published, study
# by study). A calibrated miss (exit 1) still writes the page; bad input (exit 2) fails.
# With 40 draws of the committed posterior: every row's 90 % predictive interval, the coverage of
# the held-out rows and the leave-one-study-out intervals (docs/uncertainty.md; ~3 minutes).
docs-validation: build
	./$(BUILD)/mnsim validate data/studies --markdown docs/validation.md --svg docs/validation.svg \
		--draws 40 --posterior data/posterior.json --cross >/dev/null; status=$$?; \
		test $$status -le 1

# data/posterior.json: the posterior of the model parameters given the calibrated study rows
# (mnsim calibrate, docs/uncertainty.md; about 40 minutes on 2 cores). It exits 1 when R-hat is
# not below 1.05, and then the target fails.
calibrate: build
	./$(BUILD)/mnsim calibrate data/studies --out data/posterior.json

# docs/architecture.svg: the module graph as the build declares it (docs/architecture.md).
docs-architecture: build
	python3 tools/module_graph.py $(BUILD)/modules.txt docs/architecture.svg
