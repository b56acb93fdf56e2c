package noreturn

import (
	"context"
	"testing"
	"time"
)

// As in noreturn.go, the code after each no-return call would leak if it
// were reachable.

func TestFetchConfigFatalf(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // ok: t.Fatalf ends the test goroutine
	cfg, err := fetchConfig(ctx, "app.toml")
	if err == nil && cfg.Addr == "app.toml" {
		cancel()
		return
	}
	t.Fatalf("fetchConfig = %v, %v", cfg, err)
}

func TestFetchConfigFatal(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background()) // ok: t.Fatal ends the test goroutine
	cfg, err := fetchConfig(ctx, "app.toml")
	switch {
	case err != nil:
		t.Fatal(err)
	case cfg.Addr == "":
		cancel()
		t.Error("empty Addr")
	default:
		cancel()
	}
}

func TestFetchConfigFailNow(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // ok: t.FailNow ends the test goroutine
	if _, err := fetchConfig(ctx, "app.toml"); err == nil {
		cancel()
		return
	}
	t.Log("fetchConfig failed")
	t.FailNow()
}

func TestFetchConfigErrorf(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 50; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	if _, err := fetchConfig(ctx, "app.toml"); err != nil {
		t.Errorf("fetchConfig: %v", err)
		return
	}
	cancel()
}

func TestFetchConfigCleanup(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // ok: handed to t.Cleanup
	t.Cleanup(cancel)
	if _, err := fetchConfig(ctx, "app.toml"); err != nil {
		t.Errorf("fetchConfig: %v", err)
		return
	}
}

// fetchOrFail reports through the testing.TB interface: tb.Fatalf is an
// interface call that no fact can mark as never returning; the apis table
// does.
func fetchOrFail(tb testing.TB, path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // ok: tb.Fatalf ends the test goroutine
	cfg, err := fetchConfig(ctx, path)
	if err == nil {
		cancel()
		return cfg
	}
	tb.Fatalf("fetchConfig(%q): %v", path, err)
	return nil
}

func fetchOrLog(tb testing.TB, path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 86; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	cfg, err := fetchConfig(ctx, path)
	if err == nil {
		cancel()
		return cfg
	}
	tb.Logf("fetchConfig(%q): %v", path, err)
	return nil
}
