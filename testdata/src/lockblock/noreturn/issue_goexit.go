package noreturn

import "runtime"

// FN: runtime.Goexit (and so t.Fatal, t.FailNow, t.Skip in a test) ends
// the goroutine with the lock held when no deferred call unlocks it. The
// model lists Goexit among the no-return calls (m.NoReturn), and
// model.Reaches stops a path at such a call as it does at os.Exit: the
// path never reaches a Return, so there is no ReturnHolding. Unlike
// os.Exit, Goexit leaves the other goroutines running, and the next Lock
// of the mutex blocks forever.

// Worker gives up with runtime.Goexit holding the lock: deferred calls
// run, but none unlocks, and the goroutine ends with l.mu locked. The
// next Lock of l.mu blocks forever.
func (l *Loader) Worker(names []string) {
	for _, name := range names {
		l.mu.Lock() // TODO(lockblock): want `^l\.mu is locked here and still held when the goroutine exits through runtime\.Goexit`
		if _, ok := l.files[name]; !ok {
			l.errs++
			runtime.Goexit()
		}
		l.mu.Unlock()
	}
}

var _ = leaks("Loader.Worker", func() {
	l := &Loader{files: map[string][]byte{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Worker([]string{"missing"})
	}()
	<-done
	go l.Load("a")
})
