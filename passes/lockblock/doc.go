// Package lockblock defines an Analyzer that reports goroutines that
// block forever on a sync.Mutex, RWMutex or Cond.
//
// # Analyzer lockblock
//
// lockblock: report goroutines that block forever on a mutex or Cond
//
// A goroutine blocked in Lock, RLock or Cond.Wait is as stuck as one
// blocked on a channel, and a goroutine dump shows it the same way
// ("sync.Mutex.Lock", "sync.Cond.Wait"). lockblock names the mutex by the
// path that reaches it (s.mu, s.cache.mu, a global, a local), follows it
// through calls, closures and sync.Once.Do, and reports:
//
//   - double-lock: a goroutine locks a mutex it already holds: Lock after
//     Lock (sync.Mutex is not reentrant), Lock while it holds a read lock
//     (Lock waits for every reader, itself included), RLock while it holds
//     the write lock; directly, through a call of a function that locks
//     it, or on the next turn of a loop that a path leaves locked (a
//     continue with no Unlock). Reported where the second lock is taken,
//     with the schedule: the first Lock, the calls, the Lock that blocks;
//   - recursive-rlock: a goroutine read-locks an RWMutex it already holds
//     a read lock on: a writer's Lock between the two makes both wait for
//     ever (sync.RWMutex forbids recursive read locking);
//   - unreleased-lock: a Lock whose function returns with the mutex held
//     on some path (an early return, a break out of a loop) while another
//     path unlocks it: the next Lock of that mutex, by any goroutine,
//     blocks forever. A function that never unlocks is a helper that
//     returns holding the lock by design and is not reported, nor is one
//     that returns nil or true holding it (its result says "you hold the
//     lock now"), one that defers an Unlock, one that lets the mutex's
//     address go (returns &s.mu to its caller), or a mutex that another
//     function unlocks without locking it (the hand-over is the design);
//   - cond-no-signal: a Cond.Wait on a Cond that no live code signals (no
//     Signal or Broadcast), when every use of the Cond is seen: an
//     unexported field of the package's types or a Cond made with
//     sync.NewCond where it is used;
//   - lock-chan-cycle: a goroutine holds a mutex while it sends on or
//     receives from an unbuffered channel, and every counterpart of that
//     operation runs holding the same mutex: whichever takes the mutex
//     first, the other can never reach its side, so both block forever;
//   - lock-order: two mutexes taken in both orders: one function locks B
//     while it holds A (directly or in a function it calls, on some
//     path), another locks A while it holds B. Two goroutines running
//     the two orders each take one and wait forever for the other.
//     Mutexes are compared by class, as lock-order checkers such as
//     lockdep compare them: every instance of T.mu is one class, a global
//     is its own. Read locks on both sides of a wait do not conflict.
//   - blocked-on-schedule: from the interleaving explorer, a Lock, RLock
//     or Cond.Wait a goroutine blocks at for good on some schedule of a
//     root's goroutines (a test, main, a function only started with go):
//     the holder returned or is blocked itself, and no goroutine that can
//     still run can reach the mutex to unlock it.
//
// Each finding carries its witness schedule, the ordered steps of the
// goroutines that reach the stuck state, as related positions ("step 1,
// goroutine 1: locks s.mu"); leakvet prints them as a schedule in text and
// as SARIF threadFlows.
//
// WRONG:
//
//	func (s *Store) Get(k string) string {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return s.lookup(k)
//	}
//
//	func (s *Store) lookup(k string) string {
//		s.mu.Lock() // blocks forever: Get holds s.mu
//		defer s.mu.Unlock()
//		return s.m[k]
//	}
//
// RIGHT:
//
//	func (s *Store) Get(k string) string {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		return s.lookupLocked(k)
//	}
//
//	// lookupLocked expects s.mu held.
//	func (s *Store) lookupLocked(k string) string { return s.m[k] }
//
// To silence a report where the behaviour is intended, write
// `//leakvet:ignore lockblock <reason>` on the line or the line above (the
// reason is required; -lockblock.report-unused-ignores reports directives
// that silence nothing).
//
// Limitations: these are deliberate false negatives. Only packages that
// start goroutines or use channels, contexts, WaitGroups or timers are
// analyzed (the core builds SSA for those; a package that only uses
// mutexes is skipped, see the README). Two paths name one
// mutex only when they start at the same value of one function; a mutex
// reached through a slice or map index, an interface (sync.Locker) or a
// function of another package has no name for these rules and is never
// reported by them (the explorer follows the objects a root makes through
// slices, maps, Cond.L and RLocker(), and reports what blocks there as
// blocked-on-schedule). A Lock
// under a condition on a bool parameter is taken to be the caller's
// choice ("locked bool") and is not followed into callers. A second Lock
// is reported only where the first one runs on every path to it, so a
// conditional Lock paired with an Unlock under a different condition is
// not reported. Lock-order inversions are found between two classes only
// (not a class against itself: a parent and a child of one type locked in
// either order are not reported) by the rules; deadlocks through several
// channels, a WaitGroup or a callback's chain are the explorer's, within
// its budgets.
package lockblock
