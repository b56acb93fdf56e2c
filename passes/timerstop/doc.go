// Package timerstop defines an Analyzer that reports timers and tickers
// that are never stopped where that leaks, aware of the Go 1.23 timer
// change.
//
// # Analyzer timerstop
//
// timerstop: report timers and tickers left running where that leaks
//
// Before Go 1.23 a *time.Ticker that is never stopped is never freed, and a
// *time.Timer stays in the runtime's timer heap until it fires. Since Go
// 1.23 (when the main module's go line is 1.23 or later and GODEBUG
// asynctimerchan=1 is not set) an unreferenced timer or ticker is collected
// even if it was never stopped, and timer channels are synchronous: a
// receive after Stop or Reset never sees a stale value. timerstop reads
// each file's Go version (its //go:build line, else the module's go line)
// and //go:debug or go.mod godebug settings, and reports only what leaks
// under them:
//
//   - unstopped (before go1.23): a time.NewTicker, or a time.NewTimer whose
//     duration is not a constant under one second, not stopped on some path
//     that returns; receiving a timer's value counts as releasing it;
//   - tick (before go1.23): time.Tick outside main, init, tests and
//     functions that never return: its ticker can never be stopped;
//   - after-in-loop (before go1.23): time.After as a select case inside a
//     loop: every iteration starts a timer that lives until it fires;
//   - forever (every version): a goroutine whose loop over a ticker or timer
//     channel has no way out (no return or break leaves it, no other case
//     ends it): the goroutine and its ticker live as long as the process;
//   - drain (every version): `if !t.Stop() { <-t.C }` (or after Reset)
//     reached by an earlier receive from the same timer with no Reset and no
//     new timer in between: Stop then reports false because the value was
//     already taken, and the drain waits forever (measured on go1.22 and
//     go1.23 semantics alike). Since go1.23 the fix keeps the Stop call and
//     drops the drain; before, it drains without blocking (select with
//     default);
//   - afterfunc (every version): the *time.Timer of time.AfterFunc is
//     discarded inside a method of a type with a Close, Stop or Shutdown
//     method: closing the owner cannot stop the callback.
//
// WRONG (go1.22):
//
//	func poll(ctx context.Context, check func() bool) error {
//		t := time.NewTicker(time.Second)
//		for range t.C {
//			if check() {
//				return nil // t is never stopped: it ticks forever
//			}
//		}
//		return nil
//	}
//
// RIGHT:
//
//	func poll(ctx context.Context, check func() bool) error {
//		t := time.NewTicker(time.Second)
//		defer t.Stop()
//		...
//	}
//
// Where it is correct on every path, a suggested fix inserts `defer
// t.Stop()` after the call, deletes a go1.23 drain, or makes a pre-go1.23
// drain non-blocking.
//
// To silence a report where the behaviour is intended, write
// `//leakvet:ignore timerstop <reason>` on the line or the line above (the
// reason is required; -timerstop.report-unused-ignores reports directives
// that silence nothing).
//
// Handing the timer over ends the obligation: returning it, storing it in
// a field, passing it to other code. Tickers in main, init and test files
// are not reported, nor are paths that end in panic or a call that never
// returns.
//
// Limitations: these are deliberate false negatives. A library cannot know
// the go line of the program that will link it: the file's own version is
// the evidence used. The forever check looks at goroutines started by a
// go statement of the same package whose function is known statically.
// A loop that waits on a channel nobody closes is not reported here unless
// it is a timer channel (selectnil covers the rest).
package timerstop
