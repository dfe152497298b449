# mnsim: the two commands of the README, and a few more.
#   make run    install what is missing, build, run the main job into out/
#   make test   install what is missing, build, run every test
#   make docs   the API reference (Doxygen) into build/docs/html
#   make fuzz   the fuzz targets, FUZZ_SECONDS (60) each
BUILD ?= build
BUILD_ASAN ?= build-asan
BUILD_FUZZ ?= build-fuzz
FUZZ_SECONDS ?= 60
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
CTEST_FLAGS ?=

.PHONY: all deps configure build run test docs sanitize valgrind fuzz bench format install clean

all: build

deps:
	@scripts/install-deps

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

configure: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

# The main job on a shipped example; results under out/.
run: build
	@scripts/main-job $(BUILD)/mnsim out

# Every test through ctest, then one line "N passed, N failed".
test: build
	@scripts/run-ctest $(BUILD) $(CTEST_FLAGS)

# The API reference from the public headers (docs/Doxyfile); doxygen is
# installed by `scripts/install-deps docs` (not needed by build or test).
docs:
	@scripts/install-deps docs
	@mkdir -p $(BUILD)/docs
	@{ cat docs/Doxyfile; echo "OUTPUT_DIRECTORY = $(BUILD)/docs"; \
	   echo "WARN_LOGFILE = $(BUILD)/docs/warnings.log"; } | doxygen -
	@echo "API reference: $(BUILD)/docs/html/index.html (warnings: $(BUILD)/docs/warnings.log)"

# The same tests built with AddressSanitizer + UndefinedBehaviorSanitizer.
sanitize: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DMNSIM_SANITIZE=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  scripts/run-ctest $(BUILD_ASAN) $(CTEST_FLAGS)

# CLI and bad-input tests with every command run under valgrind.
valgrind: build
	@MNSIM_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=$(CURDIR)/tests/valgrind.supp" \
	  scripts/run-ctest $(BUILD) -L cli $(CTEST_FLAGS)

# Every fuzz target (tests/fuzz: one per input format) built with clang and
# libFuzzer in $(BUILD_FUZZ), each run FUZZ_SECONDS; fails on a finding.
fuzz: deps
	@BUILD_FUZZ=$(BUILD_FUZZ) FUZZ_SECONDS=$(FUZZ_SECONDS) JOBS=$(JOBS) scripts/fuzz

bench: build
	@for b in $(BUILD)/bench_*; do [ -x "$$b" ] && "$$b"; done; true

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) $(BUILD_FUZZ) out
