# Bulwark — the two commands: `make run` and `make test`. Both install what is missing first.
SWIFT ?= swift
BIN   := .build/debug/bulwark
SUDO  := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)

.PHONY: deps sdk-deps build run test bench fuzz clean contracts-check sdk-check

## deps: install the system packages Bulwark needs (libncurses-dev, tmux, pkg-config, curl, and openssh-server
## and openssh-client for the console-over-SSH test) when missing.
deps:
	@missing=""; \
	dpkg -s libncurses-dev >/dev/null 2>&1 || missing="$$missing libncurses-dev"; \
	command -v tmux >/dev/null 2>&1 || missing="$$missing tmux"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	test -x /usr/sbin/sshd || missing="$$missing openssh-server"; \
	command -v ssh >/dev/null 2>&1 || missing="$$missing openssh-client"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null 2>&1 || { echo "swift not found: install Swift 6.x (https://www.swift.org/install/linux/)"; exit 1; }

## sdk-deps: what the alpaca-py check needs on a Debian machine (python3 and its venv module), when missing.
## Test tooling only: `make run` does not need it.
sdk-deps:
	@missing=""; \
	command -v python3 >/dev/null 2>&1 || missing="$$missing python3"; \
	python3 -c 'import ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing for the alpaca-py check:$$missing"; \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; } \
	    || echo "could not install$$missing: the alpaca-py check will say it cannot run"; \
	fi

## build: debug build of every target.
build: deps
	$(SWIFT) build

## run: build, then start Bulwark with its console on the embedded paper exchange.
run: build
	$(BIN) run

## test: build everything (tests included) and run every test, one at a time: many tests start the real
## binary and wait on real time, and on a two-core machine tests run side by side starve each other of
## the two threads Swift concurrency has (a test's deadline then passes while it waits for a thread).
## Then Alpaca's official Python SDK runs against the exchange (sdk-check: a failed check fails the run; it
## is skipped, and says why, only where Python or PyPI cannot be had). Then the release build (where the
## optimiser has caught bugs a debug build hides) rehearses every chaos mode: `bulwark chaos-test` exits
## non-zero when any mode breaks the chaos contract.
test: deps sdk-deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest --no-parallel
	@$(MAKE) --no-print-directory sdk-check
	$(SWIFT) build -c release --product bulwark
	.build/release/bulwark chaos-test

## bench: release build, then every benchmark (htop is installed when absent: `bench console` measures it beside
## the console, as the reference an operator knows).
bench: deps
	@command -v htop >/dev/null 2>&1 || { $(SUDO) apt-get install -y -qq htop || echo "htop could not be installed: bench console runs without its comparison"; }
	$(SWIFT) build -c release
	.build/release/bulwark bench bus
	.build/release/bulwark bench guard
	.build/release/bulwark bench state
	.build/release/bulwark bench pipeline
	.build/release/bulwark bench console
	.build/release/bulwark bench control
	.build/release/bulwark bench exhaustion
	.build/release/bulwark bench exits
	.build/release/bulwark bench budget

## sdk-check: Alpaca's official Python SDK (alpaca-py, from PyPI, in a virtualenv) against `bulwark exchange`:
## REST, TradingStream and StockDataStream (scripts/alpaca-sdk-check.sh). Skipped, not failed, where it cannot
## run (no python3, or PyPI out of reach); a failed check fails. Part of `make test`.
sdk-check:
	@status=0; bash scripts/alpaca-sdk-check.sh || status=$$?; \
	if [ $$status -eq 2 ]; then echo "alpaca-py check skipped: it could not run here"; exit 0; fi; exit $$status

## contracts-check: the contract samples in Tests/PaperExchangeTests/Fixtures are byte-identical copies of the
## design's shared/contracts, where that folder sits beside the repository (the tests need only the copies).
contracts-check:
	@test -d ../shared/contracts || { echo "no ../shared/contracts beside this clone: nothing to compare"; exit 0; }; \
	status=0; for f in ../shared/contracts/alpaca/*.json ../shared/contracts/uw/*.json; do \
	  cmp -s "$$f" "Tests/PaperExchangeTests/Fixtures/$$(basename $$f)" || { echo "differs: $$f"; status=1; }; \
	done; [ $$status -eq 0 ] && echo "contract samples match shared/contracts"; exit $$status

## fuzz: release build of bulwark-fuzz, then the .env parser (with the configuration load), the state-file
## decoder and the paper exchange's order-body path (its JSON reader, then the order validation), in turn,
## under seeded mutation for a fixed budget (FUZZ_SECONDS, default 60): fails on a crash, a hang (one input
## over 10 s), a leak (resident memory up by more than 64 MB) or an order body answered outside the
## reader's promises (deeper than the depth limit, not read back as written, a refusal other than 400/422
## or with an unbounded echo). Not part of `make test`; the tests run a short seeded smoke of it.
FUZZ_SECONDS ?= 60
fuzz: deps
	$(SWIFT) build -c release --product bulwark-fuzz
	.build/release/bulwark-fuzz --seconds $(FUZZ_SECONDS)

clean:
	rm -rf .build
