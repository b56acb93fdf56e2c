//go:build go1.22

package noreturn

import (
	"context"
	"testing"
	"time"
)

// Test files are exempt from the unstopped and time.Tick findings, whatever
// their paths. The goroutine, drain and AfterFunc findings still apply.

func TestMustLoad(t *testing.T) {
	tick := time.NewTicker(time.Millisecond) // ok: in a _test.go file
	cfg, err := fetchConfig(context.Background(), "app.toml")
	if err != nil {
		t.Fatal(err)
	}
	<-tick.C
	if cfg.Addr != "app.toml" {
		t.Errorf("Addr = %q", cfg.Addr)
		return
	}
	tick.Stop()
}

func TestRetryDrain(t *testing.T) {
	timer := time.NewTimer(time.Millisecond)
	<-timer.C
	if !timer.Stop() {
		<-timer.C // want `this receive blocks forever if the value from timer\.C was already received at line 30; drain without blocking: select \{ case <-timer\.C: default: \}`
	}
	timer.Reset(time.Millisecond)
	<-timer.C
}
