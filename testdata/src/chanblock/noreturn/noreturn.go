// Package noreturn holds functions whose path past an abandoned goroutine
// ends in a call that does not return. os.Exit, log.Fatal and panic end the
// process, so the blocked goroutine is not a leak of the owner: silent.
// A plain return on the same path is. t.Fatal ends the test: see
// noreturn_test.go.
//
// The shapes run the path that returns normally; the no-return paths would
// end the shape test itself.
package noreturn

import (
	"errors"
	"fmt"
	"log"
	"os"
	"strings"
)

type Config struct {
	Addr string
	Keys []string
}

func parse(s string) (*Config, error) {
	if s == "" {
		return nil, errors.New("empty config")
	}
	return &Config{Addr: s}, nil
}

func loadKeys(path string) []string { return strings.Split(path, ",") }

// loadConfig returns on a parse error: the key loader is abandoned.
func loadConfig(src, keyPath string) (*Config, error) {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys(keyPath) // want `blocks forever sending on keysc`
	}()
	cfg, err := parse(src)
	if err != nil {
		return nil, err
	}
	cfg.Keys = <-keysc
	return cfg, nil
}

var _ = leaks("loadConfig", func() { loadConfig("", "a,b") })

func loadConfigOrExit(src, keyPath string) *Config {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys(keyPath) // ok: the other path ends in os.Exit
	}()
	cfg, err := parse(src)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	cfg.Keys = <-keysc
	return cfg
}

var _ = noLeak("loadConfigOrExit", func() { loadConfigOrExit(":8080", "a,b") })

func loadConfigOrFatal(src, keyPath string) *Config {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys(keyPath) // ok: the other path ends in log.Fatalf
	}()
	cfg, err := parse(src)
	if err != nil {
		log.Fatalf("config: %v", err)
	}
	cfg.Keys = <-keysc
	return cfg
}

var _ = noLeak("loadConfigOrFatal", func() { loadConfigOrFatal(":8080", "a,b") })

func mustLoadConfig(src, keyPath string) *Config {
	keysc := make(chan []string)
	go func() {
		keysc <- loadKeys(keyPath) // ok: the other path panics
	}()
	cfg, err := parse(src)
	if err != nil {
		panic(err)
	}
	cfg.Keys = <-keysc
	return cfg
}

var _ = noLeak("mustLoadConfig", func() { mustLoadConfig(":8080", "a,b") })

// die never returns.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func loadConfigOrDie(src, keyPath string) *Config {
	work := make(chan string)
	go func() {
		for k := range work { // ok: closed on the path that returns; the other ends in die
			log.Printf("key %s", k)
		}
	}()
	cfg, err := parse(src)
	if err != nil {
		die("config: %v", err)
	}
	for _, k := range loadKeys(keyPath) {
		work <- k
	}
	close(work)
	return cfg
}

var _ = noLeak("loadConfigOrDie", func() { loadConfigOrDie(":8080", "a,b") })
