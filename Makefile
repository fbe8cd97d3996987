# Thin wrapper around meson/ninja. `make run` and `make test` are the two
# commands of the README.
BUILD ?= build
TEST_BUILD ?= build-test
LISTEN ?= 127.0.0.1:8080
DB ?= var/ctip.db
KEY ?= var/ctip.key

.PHONY: all deps test-deps build run test bench format format-check clean

all: build

deps:
	@tools/deps.sh run

test-deps:
	@tools/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Install what is missing, build, create var/ctip.db with reference and
# demo data on first use (printing the admin's one-time password), with
# demo casework in Phường Ba Đình for a trial user to find, serve.
run: deps build
	@if [ ! -f $(DB) ]; then $(BUILD)/ctip init --db $(DB) --key $(KEY) --demo-records; \
	else echo "ctip: using existing $(DB) (delete var/ to start afresh)"; \
	$(BUILD)/ctip migrate --db $(DB); fi
	$(BUILD)/ctip serve --listen $(LISTEN) --db $(DB)

# Every test, under AddressSanitizer and UndefinedBehaviorSanitizer.
test: test-deps
	@tools/test.sh $(TEST_BUILD)

bench: deps build
	bench/run.sh $(BUILD)

format:
	find src tests bench -name '*.[ch]' | xargs clang-format -i

format-check:
	find src tests bench -name '*.[ch]' | xargs clang-format --dry-run -Werror

clean:
	rm -rf $(BUILD) $(TEST_BUILD)
