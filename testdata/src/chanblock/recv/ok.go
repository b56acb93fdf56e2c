package recv

import (
	"bufio"
	"context"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// Correct receivers shaped like those in recv.go: all silent.

func runBatchDeferClose(batch []Job, workers int) error {
	jobs := make(chan Job)
	defer close(jobs)
	for i := 0; i < workers; i++ {
		go func() {
			for j := range jobs { // ok: closed by the deferred close on every path
				handle(j)
			}
		}()
	}
	for _, j := range batch {
		if err := validate(j); err != nil {
			return err
		}
		jobs <- j
	}
	return nil
}

var _ = noLeak("runBatchDeferClose", func() { runBatchDeferClose([]Job{{1, "a"}, {2, ""}}, 2) })

var _ = noLeak("runBatch/valid", func() {
	// Every job is valid: runBatch closes jobs.
	runBatch([]Job{{1, "a"}, {2, "b"}}, 2)
})

// startSignalled tells the server goroutine whether to serve on every path.
func (s *server) startSignalled() error {
	ready := make(chan bool)
	go func() {
		if ok := <-ready; ok { // ok: sent to on both paths
			s.serve()
		}
	}()
	if err := s.listen(); err != nil {
		ready <- false
		return err
	}
	ready <- true
	return nil
}

var _ = noLeak("server.startSignalled", func() {
	(&server{listen: listenFails, serve: serveNothing}).startSignalled()
})

func tailLogClosed(r io.Reader, prefix string) int {
	lines := make(chan string)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for l := range lines { // ok: closed after the scan
			log.Print(prefix, l)
		}
	}()
	n := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
		n++
	}
	close(lines)
	<-done
	return n
}

var _ = noLeak("tailLogClosed", func() { tailLogClosed(strings.NewReader(""), "app: ") })

// getWatched lets the writer give up when ctx is done.
func (c *cache) getWatched(ctx context.Context, key string) ([]byte, error) {
	writeback := make(chan Response)
	go func() {
		select {
		case resp := <-writeback: // ok: the receiver selects on ctx.Done
			c.store(resp)
		case <-ctx.Done():
		}
	}()
	resp, err := c.call(ctx, key)
	if err != nil {
		return nil, err
	}
	writeback <- resp
	return resp.Val, nil
}

var _ = noLeak("cache.getWatched", func() {
	ctx, cancel := context.WithCancel(context.Background())
	c := &cache{call: callFails, store: storeNothing}
	c.getWatched(ctx, "k")
	cancel()
})

var _ = noLeak("cache.get/hit", func() {
	// The call succeeds: get feeds the writer.
	c := &cache{call: callOK, store: storeNothing}
	c.get(context.Background(), "k")
})

// watchdog cancels the request when it runs too long; time.After's channel
// always fires.
func watchdog(ctx context.Context, d time.Duration, work func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		<-time.After(d) // ok: not a channel of this function, and it fires after d
		cancel()
	}()
	return work(ctx)
}

func quick(ctx context.Context) error { return nil }

var _ = noLeak("watchdog", func() { watchdog(context.Background(), time.Millisecond, quick) })

// reloadOnHangup reloads the config on SIGHUP while serve runs. sigc is
// handed to signal.Notify, and closed once signal.Stop returns.
func reloadOnHangup(reload func(), serve func() error) error {
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGHUP)
	defer func() {
		signal.Stop(sigc)
		close(sigc)
	}()
	go func() {
		for range sigc { // ok: fed by os/signal, closed on return
			reload()
		}
	}()
	return serve()
}

var _ = noLeak("reloadOnHangup", func() { reloadOnHangup(func() {}, func() error { return nil }) })
