// Package selectnil defines an Analyzer that reports select statements
// and goroutine loops that can never proceed or never exit.
//
// # Analyzer selectnil
//
// selectnil: report selects that can never proceed or never exit
//
// A select blocks until one of its cases can run; a case on a nil channel
// never can. A goroutine's loop over a select ends only through a case
// that returns or breaks out of the loop; without one, the goroutine runs
// for the life of the process. selectnil reports:
//
//   - nil-select: a select without default whose every case is on a
//     channel that is nil on every path (never assigned): it blocks
//     forever;
//   - nil-case: a case on such a channel in a select that has other
//     cases: it can never run (a channel set to nil after it is closed, to
//     disable its case, is not nil on every path and is not reported);
//   - empty-select: `select {}` in a goroutine: it blocks forever (in
//     main it is the idiom for "serve until killed" and is not reported);
//   - endless-loop: a goroutine's loop that blocks on channels and has no
//     way out — no case returns or breaks out of it — while a
//     context.Context or a done channel (chan struct{} named done, quit,
//     stop, closing, ...) is in scope: reported at the loop, naming it;
//   - select-break: an unlabeled break in a select case of such a loop: it
//     leaves the select, not the loop (staticcheck's SA4011 shape, reported
//     here when it leaves a goroutine spinning forever);
//   - dead-select: from the package model, a select without default none
//     of whose cases live code can ever match (no live send, close or
//     receive on its channels, no live cancel of its context);
//   - dead-exit: from the package model, a goroutine's loop whose every
//     way out is a case on a signal no live code gives (a done channel
//     only a function nothing live calls closes, a context whose cancel
//     nothing live calls): the goroutine never exits. Silent when a timer
//     or code outside the package may give the signal;
//   - blocked-on-schedule: from the interleaving explorer, a select a
//     goroutine blocks at for good on some schedule of a root's
//     goroutines: no goroutine that can still run can reach any of its
//     channels. The finding carries the schedule.
//
// WRONG:
//
//	go func() {
//		for {
//			select {
//			case job := <-jobs:
//				run(job)
//			case <-ctx.Done():
//				break // leaves the select only: the loop goes on
//			}
//		}
//	}()
//
// RIGHT:
//
//	go func() {
//		for {
//			select {
//			case job := <-jobs:
//				run(job)
//			case <-ctx.Done():
//				return
//			}
//		}
//	}()
//
// To silence a report where the behaviour is intended, write
// `//leakvet:ignore selectnil <reason>` on the line or the line above (the
// reason is required; -selectnil.report-unused-ignores reports directives
// that silence nothing).
//
// Limitations: these are deliberate false negatives. A channel is
// provably nil only when it is a local variable no code assigns: fields,
// globals and parameters are not followed. Endless loops are reported only
// in goroutines started by a go statement of the package (not by main,
// init or package initialisers: those live as long as the process) and
// only when a context or done channel is in scope, since without one the
// loop may be meant to live as long as the process. Loops over a ticker or
// timer channel are timerstop's to report.
package selectnil
