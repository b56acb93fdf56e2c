//go:build go1.22

// Command mainpkg, at go1.22: main.main and init are exempt from the
// unstopped and time.Tick findings (the process ends when main returns), and
// goroutines they start may loop forever. Other functions of package main
// are not exempt: the pass does not follow callers.
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"time"
)

type agent struct {
	addr   string
	beats  int
	health chan error
}

func (a *agent) ping(ctx context.Context) error {
	if a.addr == "" {
		return fmt.Errorf("no address")
	}
	return ctx.Err()
}

func main() {
	ctx := context.Background()
	a := &agent{addr: os.Getenv("AGENT_ADDR"), health: make(chan error, 1)}
	t := time.NewTicker(10 * time.Second) // ok: main.main: the process exits when it returns
	if err := a.ping(ctx); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return
	}
	go func() {
		for range t.C { // ok: started by main.main: lives as long as the process
			a.health <- a.ping(ctx)
		}
	}()
	for range time.Tick(time.Minute) { // ok: time.Tick in main.main
		if err := <-a.health; err != nil {
			log.Print(err)
			return
		}
		a.beats++
	}
}

var bootTimer *time.Timer

func init() {
	t := time.NewTicker(time.Second) // ok: init runs once per process
	select {
	case <-t.C:
	case <-time.After(5 * time.Second):
		return
	}
	bootTimer = time.NewTimer(time.Hour)
	go func() {
		for range time.Tick(time.Hour) { // ok: started by init
			log.Print("still up")
		}
	}()
}

// startStatusLog is only called by main, but it is not main.main.
func startStatusLog(a *agent) {
	go func() {
		for range time.Tick(30 * time.Second) { // want `this goroutine receives from time\.Tick forever: no path leaves the loop, so the goroutine and its ticker are never released; add a case that returns \(case <-ctx\.Done\(\): return\)`
			log.Printf("beats: %d", a.beats)
		}
	}()
}

func waitReachable(ctx context.Context, a *agent) error {
	t := time.NewTicker(time.Second) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 83; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for range 10 {
		<-t.C
		if a.ping(ctx) == nil {
			return nil
		}
	}
	t.Stop()
	return fmt.Errorf("%s unreachable", a.addr)
}

var _ = startStatusLog
var _ = waitReachable
