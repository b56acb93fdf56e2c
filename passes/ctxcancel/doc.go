// Package ctxcancel defines an Analyzer that reports cancel functions of
// contexts, and stop functions of signal.NotifyContext, iter.Pull and
// context.AfterFunc, that are not called on some path.
//
// # Analyzer ctxcancel
//
// ctxcancel: report cancel and stop functions not called on every path
//
// A context made by context.WithCancel, WithTimeout, WithDeadline or their
// Cause variants stays registered with its parent, and keeps its timer,
// until its cancel function is called. signal.NotifyContext keeps relaying
// signals until its stop function is called, and iter.Pull keeps the
// iterator's goroutine parked until stop is called or the sequence ends.
// Forgetting the call on one path leaks them for as long as the parent
// lives, which for a server's root context is forever.
//
// ctxcancel follows each such function through the function's SSA form,
// across variables, closures, conversions and same-package helpers, and
// reports:
//
//   - discarded: the function is assigned to _ or the call's results are
//     dropped, for the APIs above, for package functions that return a
//     fresh one (func newCtx() (context.Context, context.CancelFunc)), and
//     for any call whose result is a context.CancelFunc;
//   - unreleased: a path from the call to a return (or to the next
//     iteration of the enclosing loop) on which it is neither called nor
//     handed over, including a closure that would call it but is itself
//     never called, and a helper that calls it only on some paths;
//   - overwritten: the variable is assigned a new cancel function before
//     the old one is called;
//   - defer-in-loop: `defer cancel()` inside a loop, which keeps every
//     iteration's context alive until the function returns;
//   - unused-field: the function is stored in an unexported field of a
//     type of the package that no code of the package ever reads.
//
// Each report names the path's end (the return statement, the loop, the
// reassignment) and points at it as related information.
//
// WRONG:
//
//	func fetch(ctx context.Context, url string) error {
//		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
//		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
//		if err != nil {
//			return err // cancel is not called: the timer lives 5s, the context until its parent ends
//		}
//		defer cancel()
//		...
//	}
//
// RIGHT:
//
//	func fetch(ctx context.Context, url string) error {
//		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
//		defer cancel()
//		req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
//		...
//	}
//
// Where it is correct on every path, a suggested fix inserts `defer
// cancel()` after the call (and names a discarded cancel function): the
// call is a := statement outside any loop, the context is only passed to
// calls, and the cancel function is never handed over.
//
// Handing the function over ends the obligation and is never reported:
// returning it, storing it in a field, map, slice or global, sending it
// on a channel, converting it to an interface, passing it to code the
// analysis cannot see (another package, a func value, an interface
// method) or to a helper that keeps it. Paths that end in panic, os.Exit,
// log.Fatal, t.Fatal or any function that never returns are not leaks,
// nor is anything in main.main (discarded results excepted, as in vet's
// lostcancel). The stop function of context.AfterFunc may be discarded:
// that is how a callback that should run whenever the context ends is
// registered; a kept one must be called on every path.
//
// Some shapes count as the release although no call is on the path:
//
//   - a deferred closure that calls it under a condition, such as
//     `defer func() { if err != nil { cancel() } }()`: the condition is
//     nearly always "ownership was not handed over", which the analysis
//     cannot relate to the paths (a plain, non-deferred conditional call
//     is still reported);
//   - a receive from the context's own Done channel: the context has then
//     been cancelled and detached from its parent;
//   - the err != nil branch after a package constructor that returns a nil
//     cancel function with every non-nil error.
//
// To silence a report, call the function on that path; where the leak is
// intended (a context that lives as long as the process), keep the
// function in a package-level variable, or write
// `//leakvet:ignore ctxcancel <reason>` on the line or the line above
// (the reason is required; -ctxcancel.report-unused-ignores reports
// directives that silence nothing).
//
// Limitations: these are deliberate false negatives, where ctxcancel
// prefers silence.
//
//   - Summaries are per package: a function of another package returning a
//     cancel func is an acquire only when its result has type
//     context.CancelFunc or CancelCauseFunc, and then only a discarded
//     result is reported (a getter returning an existing cancel func looks
//     the same); helpers of other packages are assumed to keep what they
//     receive.
//   - A closure capturing another closure, or a variable holding both a
//     cancel func and something else, is not modelled.
//   - A closure over the cancel variable that was deferred, started as a
//     goroutine or handed to other code before the acquire, on some paths
//     only, may or may not release it: the site is not reported.
//   - Conditions are facts only when the same SSA value is tested again:
//     what a call returns (ctx.Deadline() of a context just made with a
//     deadline) is not known, so such a path can be reported as an
//     overwrite or a leak although it never runs.
//   - A function with more than 64 values holding one cancel func, or a
//     path search past its budget (20000 states), reports nothing.
//   - Fields of exported names, and fields of types of other packages,
//     can be called by code the analysis does not see.
package ctxcancel
