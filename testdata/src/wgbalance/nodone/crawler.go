package nodone

import (
	"strings"
	"sync"
)

// A crawler whose fetchers count themselves down after handing on what
// they found, and whose closer waits for them: nothing receives what they
// found, so no fetcher gets past its send.

type crawler struct {
	wg    sync.WaitGroup
	found chan string
	seen  map[string]bool
}

func (c *crawler) fetch(url string) {
	c.found <- strings.TrimSuffix(url, "/")
	c.wg.Done()
}

func (c *crawler) closeWhenFetched() {
	c.wg.Wait() // want `Wait blocks forever: the Add at line \d+ is never balanced: the Done at line \d+ is never reached: it follows an operation that never proceeds at line \d+`
	close(c.found)
}

func (c *crawler) collect() {
	for u := range c.found {
		c.seen[u] = true
	}
}

func crawl(urls []string) *crawler {
	c := &crawler{found: make(chan string), seen: map[string]bool{}}
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
	go c.closeWhenFetched()
	return c
}

var _ = leaks("crawl", func() { crawl([]string{"a/", "b/"}) })

type collectedCrawler struct {
	wg    sync.WaitGroup
	found chan string
	seen  map[string]bool
}

func (c *collectedCrawler) fetch(url string) {
	c.found <- strings.TrimSuffix(url, "/")
	c.wg.Done()
}

func (c *collectedCrawler) closeWhenFetched() {
	c.wg.Wait() // ok: collect receives what the fetchers found
	close(c.found)
}

func (c *collectedCrawler) collect() {
	for u := range c.found {
		c.seen[u] = true
	}
}

func crawlCollected(urls []string) *collectedCrawler {
	c := &collectedCrawler{found: make(chan string), seen: map[string]bool{}}
	for _, u := range urls {
		c.wg.Add(1)
		go c.fetch(u)
	}
	go c.closeWhenFetched()
	go c.collect() // ok: the results are received
	return c
}

var _ = noLeak("crawlCollected", func() { crawlCollected([]string{"a/", "b/"}) })
