package counterpart

import "sync"

// A call through a func-typed field: the package's call graph may not
// know every function the field holds (a bound method value), so the
// call is never taken to not return, even when the one candidate it
// knows panics. (Found on go-redis: a hook field and a test stub.)

type hookClient struct {
	process func(int) error
	n       int
}

func (c *hookClient) realProcess(x int) error {
	c.n += x
	return nil
}

func newHookClient() *hookClient {
	c := &hookClient{}
	c.process = c.realProcess
	return c
}

// newStubClient is what a test would use.
func newStubClient() *hookClient {
	return &hookClient{process: func(int) error { panic("not implemented") }}
}

var _ = newStubClient

func (c *hookClient) do(x int) error { return c.process(x) }

func fanOutHook(c *hookClient, xs []int) int {
	results := make(chan error, len(xs))
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := c.do(x)
			results <- err
		}()
	}
	go func() {
		wg.Wait() // ok: the hook returns (realProcess), then Done
		close(results)
	}()
	n := 0
	for err := range results { // ok: closed once every goroutine is done
		if err == nil {
			n++
		}
	}
	return n
}

var _ = noLeak("fanOutHook", func() { fanOutHook(newHookClient(), []int{1, 2}) })
