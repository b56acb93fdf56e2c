// Package wgbalance defines an Analyzer that reports sync.WaitGroup
// counters that cannot reach zero, or go below it.
//
// # Analyzer wgbalance
//
// wgbalance: report WaitGroup Add, Done and Wait that cannot balance
//
// wg.Wait returns when the counter reaches zero. Every Add must be matched
// by exactly one Done, and every Add must happen before the Wait it is
// meant for; otherwise Wait blocks forever (and with it the goroutine that
// waits, often a request handler) or the counter goes negative and the
// program panics. wgbalance follows the WaitGroup into the goroutines the
// function starts (closures and functions of the package, the WaitGroup
// captured or passed by pointer) and reports:
//
//   - add-in-goroutine: wg.Add inside the goroutine it counts, anywhere
//     before its Done (vet's waitgroup pass sees only a first statement)
//     when the spawner calls wg.Wait after the go statement, and as a first
//     statement wherever the Wait is (vet's reports are a subset), unless
//     the spawner holds a count itself (it Added before the go statement,
//     or is a goroutine that calls Done): then Wait cannot return early;
//   - done-some-paths: a goroutine that calls wg.Done on some paths only (an
//     early return, an error path): Wait then blocks forever;
//   - add-mismatch: Add(n) with a constant n and a path to Wait that starts
//     a different number of goroutines;
//   - add-len-skip: Add(len(xs)) and a loop over xs that can continue or
//     break before its go statement;
//   - wait-in-loop: Wait inside the loop that starts the goroutines an Add
//     before the loop counts: the first iteration waits for all of them;
//   - negative: Done on a local WaitGroup that nothing adds to, Done inside
//     a function given to wg.Go, and Done twice on one path (not when the
//     spawner Adds again after starting the goroutine: a two-phase
//     handshake);
//   - wait-no-done: from the package model, a Wait after a live Add on a
//     WaitGroup no live code calls Done on (a Done after an operation that
//     never proceeds, deferred in a goroutine that never returns, or in a
//     function nothing live calls does not count);
//   - drain-after-wait: goroutines that send on an unbuffered channel
//     before their Done, started by a function that calls Wait before it
//     receives from that channel, which nothing else receives from: the
//     first sender blocks before Done, Wait never returns;
//   - blocked-on-schedule: from the interleaving explorer, a Wait a
//     goroutine blocks at for good on some schedule of a root's
//     goroutines: every goroutine that could call Done is blocked itself
//     or gone. The finding carries the schedule.
//
// WRONG:
//
//	for _, job := range jobs {
//		wg.Add(1)
//		go func() {
//			if err := job.Run(); err != nil {
//				return // Done is never called: wg.Wait blocks forever
//			}
//			wg.Done()
//		}()
//	}
//	wg.Wait()
//
// RIGHT:
//
//	for _, job := range jobs {
//		wg.Go(func() { // go1.25; or wg.Add(1) and defer wg.Done() first
//			job.Run()
//		})
//	}
//	wg.Wait()
//
// A suggested fix moves a goroutine's Done into a `defer wg.Done()` at the
// start of its function literal when that is right on every path.
//
// To silence a report where the behaviour is intended, write
// `//leakvet:ignore wgbalance <reason>` on the line or the line above (the
// reason is required; -wgbalance.report-unused-ignores reports directives
// that silence nothing).
//
// Limitations: these are deliberate false negatives. A WaitGroup handed to
// code the analysis does not see (another package, an interface, a
// global) may be balanced there: such paths are not reported. Counting is
// exact only for constant Adds of at most 16 and goroutines started outside
// loops. WaitGroups in struct fields are followed only into goroutines
// that receive the WaitGroup itself.
package wgbalance
