// Package noreturn holds paths that end in calls that never return: they are
// not leaks. Look-alikes that do return are reported.
package noreturn

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"
)

type Config struct{ Addr string }

func fetchConfig(ctx context.Context, path string) (*Config, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return &Config{Addr: path}, nil
}

// In each case the code after the no-return call would leak if it were
// reachable: an unreachable `return nil` or the implicit return at the end.

func serveOrExit(addr string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: the failure path ends in os.Exit
	cfg, err := fetchConfig(ctx, addr)
	if err == nil && cfg.Addr != "" {
		cancel()
		return
	}
	fmt.Fprintln(os.Stderr, "no config:", err)
	os.Exit(1)
}

func loadOrFatal(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: the failure path ends in log.Fatal
	cfg, err := fetchConfig(ctx, path)
	if err == nil {
		cancel()
		return cfg
	}
	log.Fatal(err)
	return nil // unreachable
}

func loadWithRetries(path string) *Config {
	ctx, cancel := context.WithCancel(context.Background()) // ok: giving up ends in log.Fatalf
	for attempt := 0; attempt < 3; attempt++ {
		cfg, err := fetchConfig(ctx, path)
		if err == nil {
			cancel()
			return cfg
		}
		log.Printf("load %s (attempt %d): %v", path, attempt, err)
	}
	log.Fatalf("load %s: giving up", path)
	return nil // unreachable
}

func loadByKind(kind, path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: the default case panics
	switch kind {
	case "file", "http":
		cfg, _ := fetchConfig(ctx, kind+"://"+path)
		cancel()
		return cfg
	default:
		panic(fmt.Sprintf("unknown config kind %q", kind))
	}
}

// Same-package functions that never return.

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func bug(err error) {
	panic(fmt.Errorf("invariant violated: %w", err))
}

func loadOrDie(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: die always exits
	cfg, err := fetchConfig(ctx, path)
	if err == nil {
		cancel()
		return cfg
	}
	die("load %s: %v", path, err)
	return nil // unreachable
}

func loadOrBug(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: bug always panics
	cfg, err := fetchConfig(ctx, path)
	if err == nil {
		cancel()
		return cfg
	}
	bug(err)
	return nil // unreachable
}

func loadInSwitch(path string, strict bool) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // ok: every path that skips cancel ends in a no-return call
	cfg, err := fetchConfig(ctx, path)
	switch {
	case err == nil:
		cancel()
		return cfg
	case strict:
		log.Fatalf("load %s: %v", path, err)
	default:
		die("load %s: %v", path, err)
	}
	return nil // unreachable
}

// Look-alikes that return.

func warn(format string, args ...any) {
	log.Printf("warning: "+format, args...)
}

var dryRun = os.Getenv("DRY_RUN") != ""

func exitUnlessDryRun(code int) {
	if dryRun {
		return
	}
	os.Exit(code)
}

func loadOrWarn(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 141; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		warn("load %s: %v", path, err)
		return nil
	}
	cancel()
	return cfg
}

func loadOrLogPrint(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 152; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		log.Print(err)
		return nil
	}
	cancel()
	return cfg
}

func loadOrMaybeExit(path string) *Config {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second) // want `the cancel function cancel returned by context\.WithTimeout is not called on the path that returns at line 163; call it on every path \(defer cancel\(\) after the call\) to stop the context's timer`
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		exitUnlessDryRun(1)
		return nil
	}
	cancel()
	return cfg
}
