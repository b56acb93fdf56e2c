package main

import (
	"strings"
	"testing"

	"github.com/leakvet/leakvet/internal/driver"
)

const suppressedSrc = `package m

import "context"

func use(context.Context) {}

func F(ctx context.Context) {
	ctx, _ = context.WithCancel(ctx) //leakvet:ignore ctxcancel the caller cancels the parent
	use(ctx)
}

func G(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx) //leakvet:ignore ctxcancel stale
	defer cancel()
	use(ctx)
}
`

// TestSuppressDirectives checks //leakvet:ignore under both drivers: the
// directive silences the finding (exit 0), and the pass's flag reports the
// stale one (exit non-zero) — also when go vet passes the flag on.
func TestSuppressDirectives(t *testing.T) {
	t.Parallel()
	dir := module(t, map[string]string{"m.go": suppressedSrc})
	for _, r := range []result{runLeakvet(t, dir, "./..."), goVet(t, dir, "./...")} {
		if r.code != 0 || strings.Contains(r.stdout+r.stderr, "discarded") {
			t.Errorf("directive did not silence the finding: %v", r)
		}
	}
	const stale = "m.go:13:41: //leakvet:ignore ctxcancel silences no ctxcancel finding here; delete it"
	r := runLeakvet(t, dir, "-ctxcancel.report-unused-ignores", "./...")
	checkCode(t, r, driver.ExitFindings)
	if !strings.Contains(r.stdout, stale) {
		t.Errorf("standalone: want %q, got %v", stale, r)
	}
	r = goVet(t, dir, "-ctxcancel.report-unused-ignores", "./...")
	if r.code == 0 || !strings.Contains(r.stderr, stale) {
		t.Errorf("go vet: want %q and a failure, got %v", stale, r)
	}
}
