//go:build go1.23

//go:debug asynctimerchan=1

// Command godebug is at go1.23 but restores the pre-go1.23 timers with a
// //go:debug directive (allowed only in package main): an unstopped ticker
// is never freed again, so the pre-go1.23 findings apply to the whole
// package. The same setting in go.mod (`godebug asynctimerchan=1`) or in the
// GODEBUG environment variable is invisible to an analyzer; see
// ../README.txt.
package main

import (
	"context"
	"errors"
	"log"
	"time"
)

type upstream struct{ up bool }

func (u *upstream) check(ctx context.Context) error {
	if !u.up {
		return errors.New("down")
	}
	return ctx.Err()
}

func main() {
	go func() {
		for range time.Tick(time.Hour) { // ok: started by main.main
			log.Print("hourly")
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	u := &upstream{up: true}
	if err := waitUp(ctx, u); err != nil {
		log.Fatal(err)
	}
	watch(ctx, u)
}

func waitUp(ctx context.Context, u *upstream) error {
	t := time.NewTicker(time.Second) // want `the ticker t from time\.NewTicker is not stopped on the path that returns at line 49; before go1\.23 an unstopped ticker is never freed: call t\.Stop\(\) on every path \(defer t\.Stop\(\) after the call\)`
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if u.check(ctx) == nil {
				t.Stop()
				return nil
			}
		}
	}
}

func waitUpStopped(ctx context.Context, u *upstream) error {
	t := time.NewTicker(time.Second) // ok: deferred
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if u.check(ctx) == nil {
				return nil
			}
		}
	}
}

func checkOnce(ctx context.Context, u *upstream) error {
	res := make(chan error, 1)
	go func() { res <- u.check(ctx) }()
	select {
	case err := <-res:
		return err
	case <-time.After(5 * time.Second): // ok: not in a loop
		return errors.New("check timed out")
	}
}

func watch(ctx context.Context, u *upstream) {
	tick := time.Tick(10 * time.Second) // want `time\.Tick leaks its ticker before go1\.23: it can never be stopped or collected; use time\.NewTicker and stop it`
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			if err := u.check(ctx); err != nil {
				log.Print(err)
			}
		}
	}
}

func relay(in <-chan string, out chan<- string) {
	for s := range in {
		select {
		case out <- s:
		case <-time.After(time.Second): // want `time\.After in a loop starts a timer per iteration that lives until it fires before go1\.23; create one timer outside the loop and Reset it`
			log.Printf("dropped %q", s)
		}
	}
}

var (
	_ = relay
	_ = waitUpStopped
	_ = checkOnce
)
