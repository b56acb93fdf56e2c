package interproc

import "sync"

// FN: two functions hold the lock and call one helper that takes it.
// Both deadlock, but a double lock through a call is reported at the
// helper's Lock, and checker.report keeps one diagnostic per line: the
// second caller (Peek) is never reported, and fixing Get alone makes
// the next run report Peek. Either report at the call in the holder (as
// before), or collect the callers into one diagnostic at the helper.

type LRU struct {
	mu    sync.Mutex
	order []string
	vals  map[string]string
}

func (l *LRU) touch(k string) {
	//TODO(lockblock): want `^l\.mu is locked again here, by l\.touch called at line 41 of Peek, while the goroutine still holds it since line 40 and sync\.Mutex is not reentrant: it blocks forever`
	l.mu.Lock() // want `^l\.mu is locked again here, by l\.touch called at line 33 of Get, while the goroutine still holds it since line 31 and sync\.Mutex is not reentrant: it blocks forever; call l\.touch after unlocking, or give it a variant that expects the lock held \(a deferred Unlock runs only when the function returns\)$`
	defer l.mu.Unlock()
	for i, o := range l.order {
		if o == k {
			l.order = append(append(l.order[:i:i], l.order[i+1:]...), k)
			return
		}
	}
}

func (l *LRU) Get(k string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.touch(k) // deadlocks: reported at touch's Lock
	return l.vals[k]
}

var _ = leaks("LRU.Get", func() { go (&LRU{vals: map[string]string{}}).Get("k") })

func (l *LRU) Peek(k string) (string, bool) {
	l.mu.Lock()
	l.touch(k) // deadlocks too: not reported
	v, ok := l.vals[k]
	l.mu.Unlock()
	return v, ok
}

var _ = leaks("LRU.Peek", func() { go (&LRU{vals: map[string]string{}}).Peek("k") })
