# regwatch — the two commands of README.md, and install/uninstall (docs/operations.md).
SWIFT ?= swift
PREFIX ?= /usr/local
CONFIG ?= feeds.toml
BIN = .build/release/watchctl
# install/uninstall: DESTDIR stages into a folder (packaging, tests); UNITDIR is where the units go.
DESTDIR ?=
UNITDIR ?= /etc/systemd/system
# What `install` builds first; `make install BIN=… INSTALL_DEPS=` installs an already built binary.
INSTALL_DEPS ?= release
UNITS = regwatch.service regwatch-digest.service regwatch-digest.timer

.PHONY: run test build release install uninstall clean reliability fuzz soak

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

## The reliability suite (docs/reliability.md): hostile feeds, private networks, hostile text,
## disk full, read-only database, broken config, 50 SIGKILLs — plus the parser/fetcher/store
## safety tests it builds on. Part of `make test` too (with a 20 000-item feed where this uses 100 000).
RELIABILITY_TESTS = Hostile|Fault|FeedSafetyTests|FeedRobustnessTests|PrivateNetworkTests|StoreCrashTests|DigestMarkdownSafetyTests|PollCrashTests
reliability:
	$(SWIFT) build --build-tests
	REGWATCH_HOSTILE_ITEMS=100000 $(SWIFT) test --skip-build --filter '$(RELIABILITY_TESTS)'

## The long ones: libFuzzer targets (FUZZ_SECONDS each, default 180) and the 10-minute daemon soak.
fuzz:
	Fuzz/fuzz.sh

soak:
	bench/soak.sh

## Swift's runtime and Foundation linked in: no dynamic symbol binding of the Swift libraries at
## each start (every watchctl command and timer run starts ~10 ms sooner; docs/performance.md, Search).
release:
	$(SWIFT) build -c release --product watchctl --static-swift-stdlib

## Install the binary, the systemd units and (only if there is none) /etc/regwatch/feeds.toml.
## The config is the shipped feeds.toml with its database and digests under /var/lib/regwatch.
install: $(INSTALL_DEPS)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/watchctl
	install -d -m 0755 $(DESTDIR)$(UNITDIR)
	for unit in $(UNITS); do \
	    sed 's#/usr/local/bin/watchctl#$(PREFIX)/bin/watchctl#g' systemd/$$unit > $(DESTDIR)$(UNITDIR)/$$unit.tmp && \
	    chmod 0644 $(DESTDIR)$(UNITDIR)/$$unit.tmp && mv $(DESTDIR)$(UNITDIR)/$$unit.tmp $(DESTDIR)$(UNITDIR)/$$unit || exit 1; \
	done
	install -d -m 0755 $(DESTDIR)/etc/regwatch
	@if [ -e $(DESTDIR)/etc/regwatch/feeds.toml ]; then \
	    echo "install: keeping the existing $(DESTDIR)/etc/regwatch/feeds.toml"; \
	else \
	    sed -e 's#^\([[:space:]]*database[[:space:]]*=[[:space:]]*\).*#\1"/var/lib/regwatch/regwatch.sqlite"#' \
	        -e 's#^\([[:space:]]*output_dir[[:space:]]*=[[:space:]]*\).*#\1"/var/lib/regwatch/digests"#' \
	        feeds.toml > $(DESTDIR)/etc/regwatch/feeds.toml.tmp && \
	    grep -q '^[[:space:]]*database[[:space:]]*=[[:space:]]*"/var/lib/regwatch/regwatch.sqlite"' $(DESTDIR)/etc/regwatch/feeds.toml.tmp || \
	        { echo "install: feeds.toml has no [storage] database line to point at /var/lib/regwatch" >&2; rm -f $(DESTDIR)/etc/regwatch/feeds.toml.tmp; exit 1; }; \
	    chmod 0644 $(DESTDIR)/etc/regwatch/feeds.toml.tmp && mv $(DESTDIR)/etc/regwatch/feeds.toml.tmp $(DESTDIR)/etc/regwatch/feeds.toml; \
	    echo "install: wrote $(DESTDIR)/etc/regwatch/feeds.toml"; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "install: now run: systemctl enable --now regwatch.service regwatch-digest.timer"

## Remove the binary and the units; the config (/etc/regwatch) and the state (/var/lib/regwatch) stay.
uninstall:
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then \
	    systemctl disable --now regwatch.service regwatch-digest.timer 2>/dev/null || true; \
	fi
	rm -f $(DESTDIR)$(PREFIX)/bin/watchctl
	for unit in $(UNITS); do rm -f $(DESTDIR)$(UNITDIR)/$$unit; done
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "uninstall: kept /etc/regwatch and /var/lib/regwatch (remove them by hand to forget everything)"

clean:
	rm -rf .build

## The Debian package dist/regwatch_<version>_<arch>.deb (docs/operations.md): the release binary,
## the units, /etc/regwatch/feeds.toml as a conffile, the regwatch user, man pages, completions.
## `make deb DEB_DEPS=` packages an already built $(BIN). packaging/deb/check tests it (CI, as root).
DEB_DEPS ?= release
.PHONY: deb
deb: $(DEB_DEPS)
	packaging/deb/build $(BIN)
