//go:build go1.22

// Package noreturn holds tickers and timers left running only on paths that
// end in a call that never returns (os.Exit, log.Fatal, panic, a
// same-package helper that exits), and functions that never return at all.
// None of those paths leaks; the code after each no-return call would if it
// were reachable. The files are at go1.22, where an unstopped ticker leaks.
package noreturn

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"time"
)

type Config struct {
	Addr    string
	Refresh time.Duration
}

func fetchConfig(ctx context.Context, path string) (*Config, error) {
	if path == "" {
		return nil, errors.New("no config path")
	}
	return &Config{Addr: path, Refresh: time.Minute}, ctx.Err()
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(2)
}

func mustLoad(ctx context.Context, path string) *Config {
	t := time.NewTicker(time.Second) // ok: the only leaking path ends in log.Fatalf
	for range 5 {
		cfg, err := fetchConfig(ctx, path)
		if err == nil {
			t.Stop()
			return cfg
		}
		<-t.C
	}
	log.Fatalf("config %s: giving up", path)
	return nil
}

func mustLoadExit(ctx context.Context, path string) *Config {
	t := time.NewTimer(30 * time.Second) // ok: the leaking path ends in os.Exit
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	t.Stop()
	return cfg
}

func mustLoadPanic(ctx context.Context, path string) *Config {
	t := time.NewTicker(time.Second) // ok: the leaking path panics
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		panic(fmt.Sprintf("config %s: %v", path, err))
	}
	t.Stop()
	return cfg
}

func mustLoadDie(ctx context.Context, path string) *Config {
	t := time.NewTicker(time.Second) // ok: die never returns (os.Exit on every path)
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		die("config %s: %v", path, err)
	}
	t.Stop()
	return cfg
}

func loadOrLog(ctx context.Context, path string) *Config {
	t := time.NewTicker(time.Second) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 86; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	cfg, err := fetchConfig(ctx, path)
	if err != nil {
		log.Printf("config %s: %v", path, err)
		return nil
	}
	t.Stop()
	return cfg
}

// Functions that never return.

// refreshForever reloads the config on every tick until the process ends.
func refreshForever(ctx context.Context, path string, apply func(*Config)) {
	t := time.NewTicker(time.Minute) // ok: refreshForever never returns
	for {
		<-t.C
		cfg, err := fetchConfig(ctx, path)
		if err != nil {
			log.Printf("refresh: %v", err)
			continue
		}
		apply(cfg)
	}
}

// watchdog exits the process if no beat arrives for a minute.
func watchdog(beats <-chan struct{}) {
	t := time.NewTimer(time.Minute) // ok: watchdog never returns (the only exit is log.Fatal)
	for {
		select {
		case <-beats:
			if !t.Stop() {
				<-t.C // ok: no receive from t.C reaches here: the only one is followed by log.Fatal
			}
			t.Reset(time.Minute)
		case <-t.C:
			log.Fatal("watchdog: no beat for a minute")
		}
	}
}

// tickUntilFatal polls with time.Tick; its only exit is log.Fatal.
func tickUntilFatal(ctx context.Context, path string) {
	for range time.Tick(10 * time.Second) { // ok: tickUntilFatal never returns
		if _, err := fetchConfig(ctx, path); err != nil {
			log.Fatalf("config vanished: %v", err)
		}
	}
}

var (
	_ = mustLoad
	_ = mustLoadExit
	_ = mustLoadPanic
	_ = mustLoadDie
	_ = loadOrLog
	_ = refreshForever
	_ = watchdog
	_ = tickUntilFatal
)
