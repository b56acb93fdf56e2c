package interproc

import "sync"

// FN: the helper locks only on some of its paths (here: the first
// flush of a buffer that has grown past its limit), and the caller
// holds the lock when it calls it. model.summarise keeps a callee's
// acquisition only when it runs on every path of the callee
// (onEveryPath), so a Lock under a condition of the callee's own state
// (not a `locked bool` parameter) is dropped and the call is silent,
// though the path that takes it deadlocks on the first call here.

type Batcher struct {
	mu    sync.Mutex
	buf   []string
	limit int
	sent  int
}

func (b *Batcher) maybeFlush() {
	if len(b.buf) < b.limit {
		return
	}
	b.mu.Lock() // TODO(lockblock): want `^b\.mu is locked again here, by b\.maybeFlush called at line 33 of Add, while the goroutine still holds it since line 31 and sync\.Mutex is not reentrant: it blocks forever`
	b.sent += len(b.buf)
	b.buf = b.buf[:0]
	b.mu.Unlock()
}

func (b *Batcher) Add(s string) {
	b.mu.Lock()
	b.buf = append(b.buf, s)
	b.maybeFlush() // deadlocks once the buffer is full
	b.mu.Unlock()
}

var _ = leaks("Batcher.Add", func() { go (&Batcher{limit: 1}).Add("x") })
