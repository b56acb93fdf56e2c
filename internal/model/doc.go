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
// Calls are resolved with static callees and, for dynamic sites, x/tools'
// VTA call graph over the package's functions. Live code is what the
// entry points reach (a taken function value once the code taking it
// runs), stopping at operations that can never proceed and at static
// calls of functions that never return; an operation deferred in a
// function that never returns never runs. An operation can never proceed
// when its object does not escape and no live operation that can let it
// is its counterpart: a receive with no live send or close, an unbuffered
// send with no live receive, a select whose every case is such, a Wait
// after a live Add with no live Done, a <-ctx.Done() whose context no live
// code cancels; a counterpart that runs only after the operation, in its
// own thread of control, does not count. Liveness and blocking are solved
// together to a fixpoint: an operation is called blocked only when that
// does not rest on assuming another one is.
//
// Beside that the model answers the questions the passes' rules ask:
// Stoppers (how every counterpart of an operation stops serving it: a
// goroutine loop's select case that returns), MayFollow (whether two
// operations are ordered by one thread of control), LoopExits (the ways
// out of a goroutine's select loop and what fires them), Runs (how often
// an operation may run on one instance of its object), MainOnly (code
// that runs only for main or init). The model holds no rule: the passes
// decide what to report (chanblock the channel operations, selectnil the
// selects and loops, wgbalance the Waits) and how to word it.
//
// Mutexes are the one kind of object the model names by path rather than
// by unification (locks.go): a deadlock is a claim about one instance, and
// all instances of T.mu are one unified object. A LockKey is a root value
// of one function and the fields and loads from it; calls map a callee's
// keys to the caller's through the arguments, closures' bindings and
// sync.Once.Do. On that the model builds what lockblock's rules read:
// the locks a call takes on every path (or on some path, by class, for
// lock order), the searches from each live Lock for a path that takes the
// mutex again or returns holding it (following decided conditions, phis
// that carry the root, under a state budget counted in Stats), the
// mutexes held on every path to an instruction, a Cond's signals, and the
// lock-order edges between classes (the fields from the last pointer to
// the mutex, or a global).
//
// The bounded interleaving explorer (explore*.go) is the model's third
// part: from each root (a test, main, a kernel, a closure that captures
// nothing, a function only started with go) it interprets the package's
// SSA over abstract values (constants, the objects the root made, nil,
// and unknowns with symbols), runs goroutines up to their next
// synchronising operation, and searches the schedules breadth first with
// states hashed. A goroutine blocked on an object that no goroutine
// able to run can reach is stuck for good (the garbage collector's own
// criterion, as the goroutineleak profile uses it); each is kept as a
// Stuck with the schedule that reaches it, and the pass that owns the
// resource reports it (ReportStuck). An object the root made that could
// reach unseen code stops the root's exploration; budgets per root and
// per package bound it (Stats.Explore*).
//
// Other packages' functions are seen through their Summary facts, which
// SummaryAnalyzer exports (for packages that export a function with a
// channel or *sync.WaitGroup parameter) and reads. Past its budget
// (value classes, fixpoint rounds) the model marks nothing blocked and
// counts it in Stats.
package model
