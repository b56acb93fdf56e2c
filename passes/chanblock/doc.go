// Package chanblock defines an Analyzer that reports goroutines that block
// forever on a channel send or receive.
//
// # Analyzer chanblock
//
// chanblock: report goroutines that block forever on a channel
//
// The most common goroutine leak: a function starts a goroutine that will
// send its result on an unbuffered channel, then gives up waiting — it
// returns on an error, on ctx.Done(), on a timeout — and nobody ever
// receives. The goroutine blocks on its send for the life of the process,
// with everything it references. chanblock follows every channel a
// function makes into the goroutines it starts (closures and functions of
// the package, the channel captured or passed) and the helpers it calls,
// and reports:
//
//   - blocked-send: a goroutine's send that no one receives on some path
//     of the function that started it: the path returns early, or takes
//     another case of a select, or leaves a collector loop on the first
//     error while other goroutines still send; reported at the send, with
//     the go statement and the abandoning return as related information;
//   - blocked-recv: a goroutine that receives from (or ranges over) a
//     channel that the function that started it may return without sending
//     to or closing;
//   - nil-chan: a send or receive on a channel variable that is never
//     assigned a channel: it blocks forever.
//
// Between goroutines, from the package model (every channel of the
// package by make site or struct field, every operation on it, and which
// code is live from the package's entry points):
//
//   - no-counterpart: a receive from a channel no live code sends on or
//     closes, or an unbuffered send no live code receives from (code after
//     an operation that never proceeds, or in a function nothing live
//     calls, is not live), a <-ctx.Done() whose cancel no live code calls,
//     and a call of another package's function that must receive from or
//     send on such a channel (by the summary that package exports);
//   - counterpart-gone: a plain send or receive whose only counterparts are
//     select cases in a goroutine's loop that returns on another case (a
//     stop channel, a context, a timer) when nothing orders that stop after
//     the operation;
//   - buffer-full: a send on a buffered channel no live code receives from,
//     run more times than a buffer holds (in a loop, or in a function
//     called repeatedly);
//   - blocked-on-schedule: from the interleaving explorer, a send or
//     receive a goroutine blocks at for good on some schedule of a root's
//     goroutines (a test, main, a function only started with go): no
//     goroutine that can still run can reach the channel. The finding
//     carries the schedule.
//
// A buffer with room for every value (make(chan T, 1) for one sender,
// make(chan T, len(xs)) for one goroutine per element of xs) is never
// reported; a suggested fix adds that capacity when it is right on every
// path.
//
// WRONG:
//
//	func fetch(ctx context.Context, url string) (*Result, error) {
//		ch := make(chan *Result)
//		go func() { ch <- get(url) }() // blocks forever after ctx is done
//		select {
//		case r := <-ch:
//			return r, nil
//		case <-ctx.Done():
//			return nil, ctx.Err()
//		}
//	}
//
// RIGHT:
//
//	ch := make(chan *Result, 1) // the send always succeeds
//
// To silence a report where the behaviour is intended, write
// `//leakvet:ignore chanblock <reason>` on the line or the line above (the
// reason is required; -chanblock.report-unused-ignores reports directives
// that silence nothing).
//
// A function of the package that makes a channel, starts the goroutines
// that send on it and returns it (a future, a generator) makes its callers
// the owners: a caller that may return without receiving is reported at
// the call. A channel stored in a field is followed when the function
// owns it all the same: a field of a struct it allocates and hands only to
// its helpers and goroutines (a request carrying its reply channel), or a
// field no code of the package touches but the function and the
// goroutines it starts (a method started with go that sends on s.res).
//
// The model's findings name the dead counterpart and why it is dead, or the
// serving loop, its stopping case and the signal, as related information.
// A channel that code outside the package may reach (an exported field, a
// value handed to another package's function that keeps it or to an
// interface) is never reported from the model.
//
// Limitations: these are deliberate false negatives. A channel that
// escapes the function that makes it otherwise (a field other methods use
// too, a struct that is returned or stored, a global or map, sent on
// another channel, handed to a function of another package or to an
// interface method, or to a closure that is not called or started right
// there, by a go statement, sync.WaitGroup.Go or errgroup.Group.Go from
// golang.org/x/sync) is not followed by the owner-local rules, only by
// the model's,
// nor is a constructor of another package. counterpart-gone stays silent
// for an operation in a closure called through a func value (who calls it
// and when is not modelled) and under a mutex (a state check under the
// lock may order it). Channels where goroutines talk to each other
// (one sends, another receives), or where the owner both sends and
// receives, are not modelled. A capacity that is neither a constant nor
// len of the slice the goroutines are started over is taken to be enough.
// Goroutines started from main, init or package initialisers live as long
// as the process and are not reported. A producer whose loop ends when a
// call fails (reading from a source its caller closes) sends as many
// values as its source delivers and is not counted; nor are goroutines
// started in a loop that send only on some paths.
//
// Known false alarms: a protocol the analysis does not track can decide
// which goroutine sends or when a channel is closed — a boolean recording
// that it was closed, a success signal implying another goroutine did not
// send, a select case on a channel nobody serves. Silence those with
// //leakvet:ignore and the reason.
package chanblock
