package a

import (
	"sync"
	"time"
)

// FN: two RWMutexes read-locked in both orders. checkOrder skips a pair
// whose both sides wait for a read lock ("a read lock waits only for a
// writer"), but that writer is what RWMutex makes likely: once a Lock is
// pending on each mutex, a pending writer blocks new readers, so
// FeaturedPrice (holding c.mu for reading) waits for p.mu behind
// setPrice's Lock, IsFeatured (holding p.mu for reading) waits for c.mu
// behind Reprice's Lock, and each writer waits for the reader the other
// reader holds: four goroutines stuck. The reason recursive RLock is
// reported (recursive-rlock) holds here too whenever both mutexes have a
// writer (Lock sites) in the package.

type Catalog struct {
	mu       sync.RWMutex
	featured *Product
	updated  time.Time
	lag      time.Duration
}

type Product struct {
	mu    sync.RWMutex
	cat   *Catalog
	price int
	lag   time.Duration
}

func (c *Catalog) FeaturedPrice() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	p := c.featured
	time.Sleep(c.lag)
	p.mu.RLock() // TODO(lockblock): want `^lock order inversion: p\.mu is locked here while c\.mu is held \(line 34\), and IsFeatured locks p\.cat\.mu`
	defer p.mu.RUnlock()
	return p.price
}

func (p *Product) IsFeatured() bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	time.Sleep(p.lag)
	p.cat.mu.RLock()
	defer p.cat.mu.RUnlock()
	return p.cat.featured == p
}

func (c *Catalog) Touch() {
	c.mu.Lock()
	c.updated = time.Now()
	c.mu.Unlock()
}

func (p *Product) SetPrice(price int) {
	p.mu.Lock()
	p.price = price
	p.mu.Unlock()
}

var _ = leaks("Catalog.FeaturedPrice+Product.IsFeatured", func() {
	c := &Catalog{lag: 50 * time.Millisecond}
	p := &Product{cat: c, price: 3, lag: 50 * time.Millisecond}
	c.featured = p
	go c.FeaturedPrice()
	go p.IsFeatured()
	time.Sleep(10 * time.Millisecond)
	go c.Touch()
	go p.SetPrice(4)
})
