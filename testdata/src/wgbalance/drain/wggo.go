//go:build go1.25

package drain

import "sync"

// The same cycle with wg.Go (Go 1.25; the build line gives the file its
// version in GOPATH mode): wg.Go calls Done when the function it runs
// returns, so a send anywhere in it comes before the Done.

// crawlGo waits for the fetchers before it reads what they found.
func crawlGo(urls []string) []page {
	var wg sync.WaitGroup
	found := make(chan page)
	for _, u := range urls {
		wg.Go(func() {
			found <- fetch(u)
		})
	}
	wg.Wait() // want `Wait blocks forever: the goroutine sends on found \(line 17\) before it returns and wg\.Go \(line 16\) calls Done, and found is received from only after Wait returns \(line 23\); receive from found before Wait, or call Wait in a goroutine that then closes found`
	close(found)
	var out []page
	for p := range found {
		out = append(out, p)
	}
	return out
}

var _ = leaks("crawlGo", func() { go crawlGo([]string{"a", "b"}) })

// crawlGoClosing waits in a goroutine that closes the channel once every
// fetcher is done; the function receives meanwhile.
func crawlGoClosing(urls []string) []page {
	var wg sync.WaitGroup
	found := make(chan page)
	for _, u := range urls {
		wg.Go(func() {
			found <- fetch(u)
		})
	}
	go func() {
		wg.Wait() // ok: waits in its own goroutine while crawlGoClosing receives
		close(found)
	}()
	var out []page
	for p := range found {
		out = append(out, p)
	}
	return out
}

var _ = noLeak("crawlGoClosing", func() { crawlGoClosing([]string{"a", "b"}) })

// crawlGoBuffered gives every fetcher a slot: the sends do not wait for
// the receive, so Wait returns.
func crawlGoBuffered(urls []string) []page {
	var wg sync.WaitGroup
	found := make(chan page, len(urls))
	for _, u := range urls {
		wg.Go(func() {
			found <- fetch(u)
		})
	}
	wg.Wait() // ok: found has room for every send
	close(found)
	var out []page
	for p := range found {
		out = append(out, p)
	}
	return out
}

var _ = noLeak("crawlGoBuffered", func() { crawlGoBuffered([]string{"a", "b"}) })
