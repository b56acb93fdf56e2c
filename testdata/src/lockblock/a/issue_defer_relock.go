package a

import "sync"

// FN: a deferred call that locks the mutex, deferred after the deferred
// Unlock: defers run last-in first-out, so it runs while the function
// still holds the lock. model.Acquires and summarise skip *ssa.Defer
// ("not taken by this call: later"), and Reaches only marks a deferred
// release, never a deferred acquisition; the deferred calls run at the
// Return (ssa.RunDefers), which the search treats as the end.

type AuditLog struct {
	mu      sync.Mutex
	entries []string
	deleted map[string]bool
}

func (l *AuditLog) record(op string) {
	l.mu.Lock() // TODO(lockblock): want `^l\.mu is locked again here, by l\.record called at line 27 of Delete, while the goroutine still holds it since line 25 and sync\.Mutex is not reentrant: it blocks forever`
	l.entries = append(l.entries, op)
	l.mu.Unlock()
}

func (l *AuditLog) Delete(k string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	defer l.record("delete " + k) // deadlocks: record runs before the deferred Unlock
	l.deleted[k] = true
}

var _ = leaks("AuditLog.Delete", func() { go (&AuditLog{deleted: map[string]bool{}}).Delete("k") })

// DeleteOK defers the record first, so it runs after the Unlock.
func (l *AuditLog) DeleteOK(k string) {
	defer l.record("delete " + k) // ok: deferred first, runs after the Unlock
	l.mu.Lock()
	defer l.mu.Unlock()
	l.deleted[k] = true
}

var _ = noLeak("AuditLog.DeleteOK", func() { (&AuditLog{deleted: map[string]bool{}}).DeleteOK("k") })
