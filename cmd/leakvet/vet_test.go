package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/leakvet/leakvet"
)

func TestVetClean(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{
		"m.go":      cleanSrc,
		"m_test.go": "package m\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { F(t.Context()) }\n",
	})
	r := goVet(t, dir, "./...")
	checkCode(t, r, 0)
	if r.stdout != "" || r.stderr != "" {
		t.Errorf("go vet on a clean package printed something: %v", r)
	}

	// Pass flags reach the tool through go vet.
	r = goVet(t, dir, "-"+leakvet.Analyzers()[0].Name+"=false", "./...")
	checkCode(t, r, 0)
}

// TestVetHandshake checks the two questions go vet asks its vet tool before
// running it on packages.
func TestVetHandshake(t *testing.T) {
	t.Parallel()
	r := runLeakvet(t, t.TempDir(), "-V=full")
	checkCode(t, r, 0)
	if f := strings.Fields(r.stdout); len(f) < 4 || f[1] != "version" || !strings.HasPrefix(f[len(f)-1], "buildID=") {
		t.Errorf("-V=full: want '<path> version devel ... buildID=...', got %v", r)
	}

	r = runLeakvet(t, t.TempDir(), "-flags")
	checkCode(t, r, 0)
	var flags []struct {
		Name string
		Bool bool
	}
	if err := json.Unmarshal([]byte(r.stdout), &flags); err != nil {
		t.Fatalf("-flags output does not parse: %v\n%v", err, r)
	}
	names := make(map[string]bool)
	for _, f := range flags {
		names[f.Name] = true
	}
	for _, a := range leakvet.Analyzers() {
		if !names[a.Name] {
			t.Errorf("-flags does not list -%s: %v", a.Name, r)
		}
	}
}
