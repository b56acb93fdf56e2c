package verifydemo

import (
	"errors"
	"testing"
)

func TestFirst(t *testing.T) {
	if got := First([]string{"a", "b", "c"}); got == "" {
		t.Fatal("no answer")
	}
}

func TestCount(t *testing.T) { Count([]string{"x", "y"}) }

func TestRunAll(t *testing.T) {
	RunAll([]func() error{
		func() error { return nil },
		func() error { return errors.New("fails") },
	})
}

func TestIdle(t *testing.T) { Idle() }

func TestHeartbeat(t *testing.T) { Heartbeat(func() {}) }

func TestLookup(t *testing.T) {
	if Lookup(t.Context(), "") == nil {
		t.Fatal("want an error for the empty key")
	}
}

func TestCacheGet(t *testing.T) {
	c := &Cache{m: map[string]string{}}
	go c.Get("k") // blocks forever: the test goes on without it
}
