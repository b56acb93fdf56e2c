package drain

import (
	"errors"
	"sync"
)

// The send/Wait cycle in one function: goroutines send their result on
// an unbuffered channel and then call Done; the function waits for them
// before it receives. The first sender blocks before its Done, so Wait
// never returns and the receive is never reached.

type page struct {
	url  string
	size int
}

func fetch(url string) page { return page{url, len(url)} }

// crawl waits for the fetchers before it reads what they found.
func crawl(urls []string) []page {
	var wg sync.WaitGroup
	found := make(chan page)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found <- fetch(u)
		}()
	}
	wg.Wait() // want `Wait blocks forever: the goroutine sends on found \(line 28\) before it returns to its deferred Done \(line 27\), and found is received from only after Wait returns \(line 34\); receive from found before Wait, or call Wait in a goroutine that then closes found`
	close(found)
	var out []page
	for p := range found {
		out = append(out, p)
	}
	return out
}

var _ = leaks("crawl", func() { go crawl([]string{"a", "b"}) })

// crawlClosing waits in a goroutine that closes the channel once every
// fetcher is done; the function receives meanwhile.
func crawlClosing(urls []string) []page {
	var wg sync.WaitGroup
	found := make(chan page)
	for _, u := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			found <- fetch(u)
		}()
	}
	go func() {
		wg.Wait() // ok: waits in its own goroutine while crawlClosing receives
		close(found)
	}()
	var out []page
	for p := range found {
		out = append(out, p)
	}
	return out
}

var _ = noLeak("crawlClosing", func() { crawlClosing([]string{"a", "b"}) })

// firstError runs the checks, then reads the first error.
func firstError(checks []func() error) error {
	var wg sync.WaitGroup
	errc := make(chan error)
	for _, check := range checks {
		wg.Add(1)
		go func() {
			if err := check(); err != nil {
				errc <- err
			}
			wg.Done()
		}()
	}
	wg.Wait() // want `Wait blocks forever: the goroutine sends on errc \(line 75\) before it calls Done \(line 77\)`
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

var _ = leaks("firstError", func() {
	go firstError([]func() error{func() error { return errors.New("down") }})
})

// firstErrorBuffered gives every check a slot: the sends never block.
func firstErrorBuffered(checks []func() error) error {
	var wg sync.WaitGroup
	errc := make(chan error, len(checks))
	for _, check := range checks {
		wg.Add(1)
		go func() {
			if err := check(); err != nil {
				errc <- err
			}
			wg.Done()
		}()
	}
	wg.Wait() // ok: errc has room for every check's error
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

var _ = noLeak("firstErrorBuffered", func() {
	firstErrorBuffered([]func() error{func() error { return errors.New("down") }})
})

// sumDoneFirst calls Done before it sends: Wait returns, then the
// receive takes the value.
func sumDoneFirst(xs []int) int {
	var wg sync.WaitGroup
	total := make(chan int)
	wg.Add(1)
	go func() {
		s := 0
		for _, x := range xs {
			s += x
		}
		wg.Done()
		total <- s // ok: Done comes first, so Wait returns and the receive below takes it
	}()
	wg.Wait()
	return <-total
}

var _ = noLeak("sumDoneFirst", func() { sumDoneFirst([]int{1, 2}) })

// pipeline hands the channel to a consumer that runs while it waits.
func pipeline(xs []int, consume func(<-chan int)) {
	var wg sync.WaitGroup
	out := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, x := range xs {
			out <- x
		}
	}()
	go consume(out)
	wg.Wait() // ok: consume, which the package does not see, receives meanwhile
	close(out)
}

var _ = noLeak("pipeline", func() {
	pipeline([]int{1, 2}, func(c <-chan int) {
		for range c {
		}
	})
})
