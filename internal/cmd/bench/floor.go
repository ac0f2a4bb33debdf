package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// floorPackage is the go-plugin floor program (internal/cmd/bench/floor).
const floorPackage = "github.com/rpmpgp/rpmpgp/internal/cmd/bench/floor"

// buildFloor builds the floor program into dir as the Makefile builds the
// gocrypto backend (CGO_ENABLED=0, -trimpath) with the go command that
// runs the bench, and returns its path.
func buildFloor(dir string) (string, error) {
	out := filepath.Join(dir, "floor")
	goCmd := filepath.Join(os.Getenv("GOROOT"), "bin", "go")
	if os.Getenv("GOROOT") == "" {
		goCmd = "go"
	}
	cmd := exec.Command(goCmd, "build", "-trimpath", "-o", out, floorPackage)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %v: %s", floorPackage, err, strings.TrimSpace(string(msg)))
	}
	return out, nil
}
