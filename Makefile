# Convenience wrapper around CMake: `make example` and `make test` are the
# two commands the README gives a newcomer.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build example test bench clean

all: build

build:
	cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLSR_SANITIZE=OFF
	cmake --build build -j $(JOBS)

example: build
	LSR=$(CURDIR)/build/lsr examples/msc-cirrhosis/run.sh

# The test build runs under AddressSanitizer and UndefinedBehaviorSanitizer.
test:
	cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DLSR_SANITIZE=ON
	cmake --build build-test -j $(JOBS)
	ctest --test-dir build-test --output-on-failure -j $(JOBS)

bench: build
	bench/run.sh

clean:
	rm -rf build build-test
