// Command mainpkg: main.main and the goroutines it starts run for the life
// of the process. Their loops without a way out, and their empty selects,
// are how a daemon waits: all silent.
package main

import (
	"context"
	"log"
	"net/http"
	"os"
	"os/signal"
	"time"
)

type Metric struct {
	Name  string
	Value float64
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	metrics := make(chan Metric)
	go func() {
		for { // ok: started by main.main, lives as long as the process
			select {
			case m := <-metrics:
				log.Printf("%s=%g", m.Name, m.Value)
			case <-time.After(time.Minute):
				log.Print("no metrics for a minute")
			}
		}
	}()

	go func() {
		http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})
		select {} // ok: a goroutine started by main.main
	}()

	go report(ctx, metrics)

	if len(os.Args) > 1 && os.Args[1] == "-wait" {
		waitForever()
	}
	for { // ok: main.main's own loop
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
			metrics <- Metric{"uptime", 1}
		}
	}
}

// report is started by main.main with go: ctx is in scope but the process
// ends with main, not with ctx.
func report(ctx context.Context, metrics chan<- Metric) {
	tick := time.NewTicker(10 * time.Second)
	for { // ok: started by main.main
		<-tick.C
		metrics <- Metric{"heartbeat", 1}
	}
}

// waitForever is a plain function called from main.main.
func waitForever() {
	log.Print("waiting for a signal")
	select {} // ok: not a goroutine, called from main.main
}
