package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
)

// TestNoNet checks that leakvet links no net package. With cgo, net makes
// a binary dynamically linked, and under go vet each of leakvet's
// processes (one per package) would load the C library: about 9 ms of
// CPU a package. What needs the network ('leakvet dump URL') lives in
// leakvet-dump.
func TestNoNet(t *testing.T) {
	t.Parallel()
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	deps := strings.Fields(string(out))
	for _, pkg := range []string{"net", "net/http", "os/user"} {
		if slices.Contains(deps, pkg) {
			t.Errorf("cmd/leakvet depends on %s: keep it in cmd/leakvet-dump", pkg)
		}
	}
}

// TestDumpNotInstalled runs 'leakvet dump' from a directory without
// leakvet-dump, on a PATH without it: one line saying how to install it,
// and exit 2.
func TestDumpNotInstalled(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	alone := filepath.Join(dir, "leakvet")
	data, err := os.ReadFile(leakvetBin)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(alone, data, 0o755); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range testEnv() {
		if !strings.HasPrefix(kv, "PATH=") {
			env = append(env, kv)
		}
	}
	r := runIn(t, dir, append(env, "PATH="+dir+"/nowhere"), alone, "dump", "x.txt")
	checkCode(t, r, driver.ExitFailure)
	if !strings.Contains(r.stderr, "go install github.com/leakvet/leakvet/cmd/leakvet-dump@latest") || strings.Count(strings.TrimSpace(r.stderr), "\n") != 0 {
		t.Errorf("leakvet dump without leakvet-dump: want one line saying how to install it: %v", r)
	}
}
