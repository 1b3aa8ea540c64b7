# Convenience wrapper around CMake: `make example` and `make test` are the
# two commands the README gives a newcomer.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# CI (CI=true in its environment) builds with -Werror; set WERROR=ON to
# build that way by hand.
WERROR ?= $(if $(CI),ON,OFF)

.PHONY: all build example test tidy bench fuzz clean

all: build

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSR_SANITIZE=OFF
	cmake --build build -j $(JOBS)

example: build
	LSR=$(CURDIR)/build/lsr examples/msc-cirrhosis/run.sh

# The test build runs under AddressSanitizer and UndefinedBehaviorSanitizer.
test:
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DLSR_SANITIZE=ON -DLSR_WERROR=$(WERROR)
	cmake --build build-test -j $(JOBS)
	ctest --test-dir build-test --output-on-failure -j $(JOBS)

# clang-tidy's bugprone and static-analyzer checks over every source file
# (.clang-tidy lists them); a finding fails.  CI runs it before the tests.
tidy:
	cmake -S . -B build-tidy -DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DLSR_SANITIZE=OFF -DLSR_BENCH=ON
	cmake --build build-tidy -j $(JOBS)
	scripts/tidy.sh build-tidy

bench: build
	bench/run.sh

# libFuzzer on every import parser, sheet reader and the protocol loader
# (HACKING.md, "Fuzzing"): a clang build with -DLSR_FUZZ=ON, then each
# target for FUZZ_SECONDS (FUZZ_TARGETS: some of them only).  Needs the
# Debian packages clang and libclang-rt-14-dev.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?=
fuzz:
	cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DLSR_FUZZ=ON -DLSR_TESTS=OFF -DLSR_BENCH=OFF
	cmake --build build-fuzz -j $(JOBS) --target fuzz-all
	fuzz/run.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

clean:
	rm -rf build build-test build-tidy build-fuzz
