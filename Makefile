# Thin wrappers; the logic lives in Go.
BIN ?= $(CURDIR)/bin
GO ?= go
# The Go toolchain the project builds, tests and ships with: the go command
# fetches it from the Go module proxy on first use (the machine's own Go is
# 1.26.8, whose standard library govulncheck reports as vulnerable).
GOTOOLCHAIN ?= go1.27.3
export GOTOOLCHAIN
# Every binary reports this version (internal/version).
VERSION := $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/rpmpgp/rpmpgp/internal/version.Version=$(VERSION)
# Pinned linters, run with go run (nothing added to go.mod).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOVULNCHECK := golang.org/x/vuln/cmd/govulncheck@v1.9.0
# The vulnerability database govulncheck reads, built offline from this
# module version (internal/cmd/vulndb); bump it for newer entries.
VULNDB := golang.org/x/vulndb@v0.0.0-20261105234957-e22db6528018

.PHONY: go-version build install install-files test lint staticcheck vulncheck bench fuzz-smoke conformance mutation demo proto fips-provider preload preload-test preload-bench

go-version:
	@$(GO) version

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/rpmpgp ./backends/gocrypto/cmd/rpmpgp-backend-gocrypto ./backends/internal-legacy/cmd/rpmpgp-backend-internal-legacy
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./backends/openssl/cmd/rpmpgp-backend-openssl

# librpmpgp-preload.so: rpm 4.18's rpmpgp.h answered by the configured
# backend, for LD_PRELOAD into rpm, rpmkeys and dnf (capi/, README).
preload:
	CGO_ENABLED=1 $(GO) build -buildmode=c-shared -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/librpmpgp-preload.so ./capi
	rm -f $(BIN)/librpmpgp-preload.h

# The preload against Debian's rpm 4.18 (capi/rpmtest): the acceptance
# list, legacy parity over fixtures and corpus, 100 repeated runs.
preload-test: build preload
	RPMPGP_PRELOAD_LIB=$(BIN)/librpmpgp-preload.so RPMPGP_PLUGIN_DIR=$(BIN) $(GO) test -count=1 -v ./capi/...

# 1000 runs of rpmkeys -K under the preload; prints the cost per run.
preload-bench: build preload
	RPMPGP_PRELOAD_RUNS=1000 RPMPGP_PRELOAD_LIB=$(BIN)/librpmpgp-preload.so RPMPGP_PLUGIN_DIR=$(BIN) $(GO) test -count=1 -v -run TestRepeatedRuns -timeout 30m ./capi/rpmtest

# make install PREFIX=/usr/local DESTDIR=: rpmpgp in $(PREFIX)/bin, the
# backends in $(PREFIX)/libexec/rpmpgp (where rpmpgp looks by default), the
# LD_PRELOAD library librpmpgp-preload.so beside them (it searches its own
# directory for backends, so it needs no configuration), man pages
# generated from the command tree, bash/zsh/fish completions.
# install-files installs what $(BIN) holds without building (the preload
# library only when $(BIN) has one).
PREFIX ?= /usr/local
DESTDIR ?=
LIBEXECDIR ?= $(PREFIX)/libexec/rpmpgp
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share

install: build preload install-files

install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBEXECDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(DATADIR)/zsh/site-functions \
		$(DESTDIR)$(DATADIR)/fish/vendor_completions.d
	install -m 0755 $(BIN)/rpmpgp $(DESTDIR)$(PREFIX)/bin/rpmpgp
	ln -sf rpmpgp $(DESTDIR)$(PREFIX)/bin/rpmpgp-sopv
	install -m 0755 $(BIN)/rpmpgp-backend-* $(DESTDIR)$(LIBEXECDIR)/
	if [ -f $(BIN)/librpmpgp-preload.so ]; then install -m 0644 $(BIN)/librpmpgp-preload.so $(DESTDIR)$(LIBEXECDIR)/; fi
	$(GO) run -tags gendocs ./cmd/rpmpgp __gendocs $(DESTDIR)$(MANDIR)/man1
	$(BIN)/rpmpgp completion bash > $(DESTDIR)$(DATADIR)/bash-completion/completions/rpmpgp
	$(BIN)/rpmpgp completion zsh > $(DESTDIR)$(DATADIR)/zsh/site-functions/_rpmpgp
	$(BIN)/rpmpgp completion fish > $(DESTDIR)$(DATADIR)/fish/vendor_completions.d/rpmpgp.fish

# The preload tests (capi/rpmtest) run against the library and backends
# built into $(BIN); without them they skip, or fail when CI is set.
test: build preload
	$(GO) vet ./...
	RPMPGP_PRELOAD_LIB=$(BIN)/librpmpgp-preload.so $(GO) test -race ./...

lint: staticcheck vulncheck

staticcheck:
	$(GO) run $(STATICCHECK) ./...

vulncheck:
	db=$$($(GO) run ./internal/cmd/vulndb -go $(GO) -module $(VULNDB)) && $(GO) run $(GOVULNCHECK) -db "$$db" ./...

# make bench BENCHFLAGS=-quick: fewer rounds and no 1 GiB package.
bench: build
	$(GO) test -run '^$$' -bench . -benchtime 2s ./core/plugin/ ./backends/...
	$(GO) run ./internal/cmd/bench -bin $(BIN) $(BENCHFLAGS)

fuzz-smoke:
	$(GO) run ./internal/cmd/fuzzsmoke -time 30s

# The openssl-fips column runs under the OpenSSL configuration of the FIPS
# provider (make fips-provider): $RPMPGP_FIPS_CONF, else its last build.
FIPS_CONF ?= $(or $(RPMPGP_FIPS_CONF),$(wildcard /var/cache/rpmpgp/fips/current/openssl.cnf))

conformance: build
	$(if $(FIPS_CONF),OPENSSL_CONF=$(FIPS_CONF) )$(BIN)/rpmpgp conformance --plugin-dir $(BIN)

# The mutation differential harness (internal/cmd/mutation): legacy backend
# vs Debian's rpmkeys 4.18 and strict backends on mutated packages.
mutation: build
	$(GO) run ./internal/cmd/mutation -bin $(BIN)

demo: build
	$(BIN)/rpmpgp checksig -v --keyring testdata/demo/keys testdata/demo/*.rpm; true

# OpenSSL's FIPS provider built from Debian's openssl source package (cached
# in /var/cache/rpmpgp/fips); prints the openssl.cnf to use as
# RPMPGP_FIPS_CONF / OPENSSL_CONF. Needs root for apt-get (deb-src entries).
fips-provider:
	$(GO) run ./internal/cmd/fipsprovider -add-deb-src

proto:
	$(GO) generate ./core/plugin/proto
