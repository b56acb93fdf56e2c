package recv

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"strings"
)

// Abandoned receivers: a goroutine receives from, or ranges over, a channel
// made by the function that started it, and some path of that function
// returns without sending to it or closing it.

type Job struct {
	ID   int
	Data string
}

var errInvalid = errors.New("invalid job")

func validate(j Job) error {
	if j.Data == "" {
		return errInvalid
	}
	return nil
}

func handle(j Job) { _ = strings.ToUpper(j.Data) }

// runBatch feeds a worker pool and returns on the first invalid job
// without closing jobs: every worker stays in its range loop.
func runBatch(batch []Job, workers int) error {
	jobs := make(chan Job)
	for i := 0; i < workers; i++ {
		go func() {
			for j := range jobs { // want `blocks forever receiving from jobs`
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
	close(jobs)
	return nil
}

var _ = leaks("runBatch", func() { runBatch([]Job{{1, "a"}, {2, ""}}, 2) })

type server struct {
	listen func() error
	serve  func()
}

// start waits for the listener in a goroutine that is never released when
// listen fails.
func (s *server) start() error {
	ready := make(chan struct{})
	go func() {
		<-ready // want `blocks forever receiving from ready`
		s.serve()
	}()
	if err := s.listen(); err != nil {
		return err
	}
	close(ready)
	return nil
}

func listenFails() error { return errors.New("address in use") }
func serveNothing()      {}

var _ = leaks("server.start", func() { (&server{listen: listenFails, serve: serveNothing}).start() })

// tailLog hands lines to a logging goroutine and forgets to close lines.
func tailLog(r io.Reader, prefix string) int {
	lines := make(chan string)
	go func() {
		for l := range lines { // want `blocks forever receiving from lines`
			log.Print(prefix, l)
		}
	}()
	n := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines <- sc.Text()
		n++
	}
	return n
}

var _ = leaks("tailLog", func() { tailLog(strings.NewReader(""), "app: ") })

type Response struct {
	Key string
	Val []byte
}

type cache struct {
	call  func(ctx context.Context, key string) (Response, error)
	store func(Response)
}

// get writes the response back to the cache in the background, but the
// writer is never fed when the call fails.
func (c *cache) get(ctx context.Context, key string) ([]byte, error) {
	writeback := make(chan Response)
	go func() {
		resp := <-writeback // want `blocks forever receiving from writeback`
		c.store(resp)
	}()
	resp, err := c.call(ctx, key)
	if err != nil {
		return nil, err
	}
	writeback <- resp
	return resp.Val, nil
}

func callFails(ctx context.Context, key string) (Response, error) {
	return Response{}, errors.New("timeout")
}
func callOK(ctx context.Context, key string) (Response, error) {
	return Response{key, []byte("v")}, nil
}
func storeNothing(Response) {}

var _ = leaks("cache.get", func() {
	c := &cache{call: callFails, store: storeNothing}
	c.get(context.Background(), "k")
})

// pingAll makes a done channel per host and skips closing it for the
// hosts it ignores: the watcher of each such host waits forever.
func pingAll(hosts []string, ignore func(string) bool) {
	for _, h := range hosts {
		done := make(chan struct{})
		go func() {
			<-done // want `blocks forever receiving from done when the loop at line \d+ makes a new channel without sending to or closing it`
		}()
		if ignore(h) {
			continue
		}
		close(done)
	}
}

var _ = leaks("pingAll", func() { pingAll([]string{"a", "b"}, func(h string) bool { return h == "a" }) })
