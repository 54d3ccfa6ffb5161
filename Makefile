# posbridge — see README.md. Every target works from a clean checkout on Debian with Go.
GO       ?= go
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
COMMIT   ?= $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)
DATE     ?= $(shell date -u +%Y-%m-%dT%H:%M:%SZ)
LDFLAGS  := -s -w -X main.version=$(VERSION) -X main.commit=$(COMMIT) -X main.date=$(DATE)

.PHONY: build run test bench lint dist dist-check clean

build:
	CGO_ENABLED=1 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o bin/posbridge ./cmd/posbridge

run: build
	./bin/posbridge run

test:
	./.ci/run

# Go benchmarks, then the rush scenario of the load tool against the real
# binary as a child process (reports in bench/, numbers for BENCHMARKS.md).
bench: build
	$(GO) test -run '^$$' -bench . -benchmem $$($(GO) list ./... | grep -v /internal/loadtest)
	$(GO) test -run '^$$' -bench 'PushAck|Ingest' -benchtime 2000x -count 3 ./internal/loadtest/
	mkdir -p bench
	$(GO) run ./cmd/posbridge-load -scenario rush -bin bin/posbridge -json bench/rush.json

lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

# Release artifacts in dist/: cross builds (cgo), .deb/.rpm, signed Windows
# installer, SHA256SUMS. Needs the tools of scripts/ci-deps.sh.
dist:
	VERSION='$(VERSION)' COMMIT='$(COMMIT)' DATE='$(DATE)' ./scripts/dist.sh

# Checks dist/: package contents, lintian, dpkg install/remove, the Windows
# binary and installer under Wine.
dist-check:
	./scripts/dist-check.sh

clean:
	rm -rf bin dist
