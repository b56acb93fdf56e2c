// Package model is the package-level concurrency model: the channels,
// WaitGroups and contexts of one package as objects, every operation on
// them, which code is live, and which operations can never proceed.
//
// Objects are found by unification over SSA values (Steensgaard style):
// a make(chan), a WaitGroup variable or a context.WithCancel result is
// one object together with every value it flows into through phis,
// variables, closures, calls and returns of the package's functions, and
// struct fields of the package's types (field-based: all instances of
// T.f are one object). An object escapes when code the package does not
// see may reach it: passed to another package's function or to an
// interface, stored in a global or a container, returned from or received
// as a parameter of an entry point (an exported function or method, main,
// init, a function whose value is taken). Escape keeps the channel
// direction it happened at: a <-chan given away gains receivers only.
//
// Live code is what the entry points reach through x/tools' CHA call
// graph, stopping at operations that can never proceed and at calls of
// functions that never return. An operation can never proceed when its
// object does not escape and no live operation is its counterpart: a
// receive with no live send or close, an unbuffered send with no live
// receive, a select whose every case is such, a WaitGroup Wait after a
// live Add with no live Done, a <-ctx.Done() whose context no live code
// cancels. Liveness and blocking are solved together to their greatest
// fixpoint: an operation is called blocked only when that does not rest
// on assuming another one is.
//
// The model holds no rule: the passes decide what to report (chanblock
// the channel operations, selectnil the selects, wgbalance the Waits) and
// how to word it. Past its budget (objects, fixpoint rounds) the model
// says nothing and counts it in Stats.
package model
