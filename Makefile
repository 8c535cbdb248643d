# regwatch — the two commands of README.md, and install/uninstall (docs/operations.md).
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= feeds.toml
BIN = .build/release/watchctl

.PHONY: run test build release install uninstall clean

## The main job: poll the feeds of feeds.toml, then write this week's digest.
run: release
	$(BIN) --config $(CONFIG) poll
	$(BIN) --config $(CONFIG) digest

## The test suite, exactly what CI runs.
test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product watchctl

clean:
	rm -rf .build
