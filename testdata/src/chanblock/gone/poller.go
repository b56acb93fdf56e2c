package gone

import "time"

// The mirror image: the receive outlives the goroutine that sends.

// poller sends each poll result until Stop.
type poller struct {
	updates chan int
	stop    chan struct{}
}

func newPoller() *poller {
	p := &poller{updates: make(chan int), stop: make(chan struct{})}
	go p.run()
	return p
}

func (p *poller) run() {
	for n := 0; ; n++ {
		select {
		case p.updates <- n:
		case <-p.stop:
			return
		}
	}
}

func (p *poller) Stop() { close(p.stop) }

// Next blocks forever once Stop has made run return.
func (p *poller) Next() int {
	return <-p.updates // want `receive from p\.updates blocks forever once the loop in poller\.run that sends on it has returned on <-p\.stop \(line 23\); close p\.updates when that loop returns, or select on p\.stop in the receiver too`
}

var _ = leaks("poller.Next after Stop", func() {
	p := newPoller()
	p.Stop()
	time.Sleep(10 * time.Millisecond)
	go p.Next()
})

// closingPoller closes its channel when it stops: Next then returns.
type closingPoller struct {
	updates chan int
	stop    chan struct{}
}

func newClosingPoller() *closingPoller {
	p := &closingPoller{updates: make(chan int), stop: make(chan struct{})}
	go p.run()
	return p
}

func (p *closingPoller) run() {
	defer close(p.updates)
	for n := 0; ; n++ {
		select {
		case p.updates <- n:
		case <-p.stop:
			return
		}
	}
}

func (p *closingPoller) Stop() { close(p.stop) }

func (p *closingPoller) Next() (int, bool) {
	n, ok := <-p.updates // ok: run closes updates when it returns
	return n, ok
}

var _ = noLeak("closingPoller.Next after Stop", func() {
	p := newClosingPoller()
	p.Stop()
	time.Sleep(10 * time.Millisecond)
	go p.Next()
})

// bufferedBatcher's Add fits in the buffer whatever loop does.
type bufferedBatcher struct {
	in   chan item
	quit chan struct{}
}

func newBufferedBatcher() *bufferedBatcher {
	b := &bufferedBatcher{in: make(chan item, 1), quit: make(chan struct{})}
	go b.loop()
	return b
}

func (b *bufferedBatcher) loop() {
	for {
		select {
		case <-b.in:
		case <-b.quit:
			return
		}
	}
}

func (b *bufferedBatcher) Close() { close(b.quit) }

func (b *bufferedBatcher) Add(it item) {
	b.in <- it // ok: buffered; this rule says nothing about how full it gets
}

var _ = noLeak("bufferedBatcher.Add once after Close", func() {
	b := newBufferedBatcher()
	b.Close()
	b.Add(item{"k"})
})
