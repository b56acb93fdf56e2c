package counterpart

// A cache warmer whose go signal is never given: it blocks on the gate,
// and the only send its reader waits for follows that receive.

type warmer struct {
	ready chan struct{}
	out   chan int
	keys  []string
}

func newWarmer(keys []string) *warmer {
	return &warmer{ready: make(chan struct{}), out: make(chan int), keys: keys}
}

func (w *warmer) run() {
	<-w.ready // want `receive from w\.ready blocks forever: no live code sends on or closes it$`
	w.out <- len(w.keys)
	close(w.out)
}

func (w *warmer) report(sink func(int)) {
	for n := range w.out { // want `receive from w\.out blocks forever: no live code sends on or closes it; the send at line \d+ is never reached: it follows an operation that never proceeds at line \d+`
		sink(n)
	}
}

func startWarmer(keys []string, sink func(int)) {
	w := newWarmer(keys)
	go w.run()
	go w.report(sink)
}

var _ = leaks("startWarmer", func() { startWarmer([]string{"k"}, func(int) {}) })

type signalledWarmer struct {
	ready chan struct{}
	out   chan int
	keys  []string
}

func newSignalledWarmer(keys []string) *signalledWarmer {
	return &signalledWarmer{ready: make(chan struct{}), out: make(chan int), keys: keys}
}

func (w *signalledWarmer) run() {
	<-w.ready // ok: startSignalledWarmer closes w.ready
	w.out <- len(w.keys)
	close(w.out)
}

func (w *signalledWarmer) report(sink func(int)) {
	for n := range w.out { // ok: run sends once the gate is open
		sink(n)
	}
}

func startSignalledWarmer(keys []string, sink func(int)) {
	w := newSignalledWarmer(keys)
	go w.run()
	go w.report(sink)
	close(w.ready) // ok: the go signal
}

var _ = noLeak("startSignalledWarmer", func() { startSignalledWarmer([]string{"k"}, func(int) {}) })
