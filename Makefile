# Thin wrappers; the logic lives in Go.
BIN ?= $(CURDIR)/bin
GO ?= go
LDFLAGS := -X main.Version=$(shell git describe --always --dirty 2>/dev/null || echo dev)

.PHONY: build test bench fuzz-smoke conformance mutation demo proto fips-provider

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/rpmpgp ./backends/gocrypto/cmd/rpmpgp-backend-gocrypto ./backends/internal-legacy/cmd/rpmpgp-backend-internal-legacy
	CGO_ENABLED=1 $(GO) build -trimpath -o $(BIN)/ ./backends/openssl/cmd/rpmpgp-backend-openssl

test:
	$(GO) vet ./...
	$(GO) test -race ./...

bench: build
	$(GO) test -run '^$$' -bench . -benchtime 2s ./core/plugin/ ./backends/...
	$(GO) run ./internal/cmd/bench -bin $(BIN)

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
