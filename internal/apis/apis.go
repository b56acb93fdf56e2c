// Package apis is leakvet's one table of API knowledge: which calls acquire
// a resource that must be released, and which calls never return.
//
// Entries are matched by object identity (*types.Func), never by the string
// form of a type: a Table is built per package from the *types.Package
// objects of its transitive imports, so a vendored or shadowed "context"
// that is not the real one never matches.
package apis

import (
	"go/types"
)

// Kind is the kind of resource an acquire creates. Passes select the kinds
// they answer for.
type Kind uint8

const (
	// Cancel is a context cancel function (context.With*, or a function
	// summarised as returning a fresh one).
	Cancel Kind = iota + 1
	// Stop is a stop function that unregisters something:
	// signal.NotifyContext, iter.Pull, context.AfterFunc.
	Stop
	// Ticker is a *time.Ticker from time.NewTicker, released by its Stop.
	Ticker
	// Timer is a *time.Timer from time.NewTimer, released by its Stop or
	// by receiving its one value.
	Timer
	// FuncTimer is the *time.Timer of time.AfterFunc, released by its Stop.
	FuncTimer
	// Tick is the channel of time.Tick, whose ticker nothing can release.
	Tick
	// After is the channel of time.After, whose timer lives until it fires.
	After
)

// A Release is a method that releases its receiver: calling it with a
// resource of the kind as receiver discharges the obligation.
type Release struct {
	Kind Kind
}

// Acquire describes one API that creates a release obligation.
type Acquire struct {
	Kind Kind
	// Result is the index of the result that carries the obligation.
	Result int
	// Name is the API as users write it: "context.WithTimeout".
	Name string
	// Role names the function the user must call: "cancel" or "stop".
	Role string
	// Why completes "call it on every path ..." with what the release does.
	Why string
	// Args is what a call of the released function passes: "nil" for a
	// context.CancelCauseFunc, "" otherwise.
	Args string
	// NilOnErr is the index of an error result that is non-nil only when
	// the acquired function is nil (a constructor's error returns), or -1.
	NilOnErr int
	// DiscardOK means dropping the result at the call is an accepted idiom
	// (context.AfterFunc: the callback is meant to run whenever ctx ends).
	DiscardOK bool
	// DiscardOnly means only a discarded result is reported: the callee is
	// known only by its result type (a context.CancelFunc from a function of
	// another package), so we cannot tell a fresh cancel from a getter.
	DiscardOnly bool
}

const (
	whyCancel  = "to release the context"
	whyTimer   = "to stop the context's timer"
	whySignal  = "to stop relaying signals"
	whyIter    = "to end the iterator's goroutine"
	whyAfter   = "to unregister the callback"
	roleCancel = "cancel"
	roleStop   = "stop"
)

// The acquire APIs, by package path and object name.
var acquireSpecs = []struct {
	pkg, name string
	acq       Acquire
}{
	{"context", "WithCancel", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyCancel}},
	{"context", "WithCancelCause", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyCancel, Args: "nil"}},
	{"context", "WithTimeout", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyTimer}},
	{"context", "WithTimeoutCause", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyTimer}},
	{"context", "WithDeadline", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyTimer}},
	{"context", "WithDeadlineCause", Acquire{Kind: Cancel, Result: 1, Role: roleCancel, Why: whyTimer}},
	{"context", "AfterFunc", Acquire{Kind: Stop, Result: 0, Role: roleStop, Why: whyAfter, DiscardOK: true}},
	{"os/signal", "NotifyContext", Acquire{Kind: Stop, Result: 1, Role: roleStop, Why: whySignal}},
	{"iter", "Pull", Acquire{Kind: Stop, Result: 1, Role: roleStop, Why: whyIter}},
	{"iter", "Pull2", Acquire{Kind: Stop, Result: 1, Role: roleStop, Why: whyIter}},
	{"time", "NewTicker", Acquire{Kind: Ticker, Role: "ticker"}},
	{"time", "NewTimer", Acquire{Kind: Timer, Role: "timer"}},
	{"time", "AfterFunc", Acquire{Kind: FuncTimer, Role: "timer", DiscardOK: true}},
	{"time", "Tick", Acquire{Kind: Tick, Role: "ticker", DiscardOK: true}},
	{"time", "After", Acquire{Kind: After, Role: "timer", DiscardOK: true}},
}

// The methods that release their receiver, and the methods that only use
// it (calling them neither releases nor hands the resource over).
var releaseSpecs = []struct{ pkg, name string }{
	{"time", "Ticker.Stop"}, {"time", "Timer.Stop"},
	{"sync", "WaitGroup.Done"}, // a goroutine's obligation to the WaitGroup
}

var useSpecs = []struct{ pkg, name string }{
	{"time", "Ticker.Reset"}, {"time", "Timer.Reset"},
	{"sync", "WaitGroup.Add"}, {"sync", "WaitGroup.Wait"}, {"sync", "WaitGroup.Go"},
}

// The functions that never return, by package path and object name;
// "T.M" names a method of the named type T (pointer or value receiver).
// buildssa already ends SSA blocks after calls the ctrlflow pass proves
// never return; this table adds interface methods (testing.TB.Fatal) that
// no fact can cover.
var noReturnSpecs = []struct{ pkg, name string }{
	{"os", "Exit"},
	{"runtime", "Goexit"},
	{"syscall", "Exit"},
	{"log", "Fatal"}, {"log", "Fatalf"}, {"log", "Fatalln"},
	{"log", "Panic"}, {"log", "Panicf"}, {"log", "Panicln"},
	{"log", "Logger.Fatal"}, {"log", "Logger.Fatalf"}, {"log", "Logger.Fatalln"},
	{"log", "Logger.Panic"}, {"log", "Logger.Panicf"}, {"log", "Logger.Panicln"},
	{"testing", "common.FailNow"}, {"testing", "common.Fatal"}, {"testing", "common.Fatalf"},
	{"testing", "common.SkipNow"}, {"testing", "common.Skip"}, {"testing", "common.Skipf"},
	{"testing", "TB.FailNow"}, {"testing", "TB.Fatal"}, {"testing", "TB.Fatalf"},
	{"testing", "TB.SkipNow"}, {"testing", "TB.Skip"}, {"testing", "TB.Skipf"},
}

// Table answers API questions for one package under analysis.
type Table struct {
	// missing lists the specs whose package is imported but whose object
	// was not found: a misspelt entry, or an API removed from the library.
	missing  []string
	acquires map[*types.Func]*Acquire
	releases map[*types.Func]bool
	uses     map[*types.Func]bool
	noReturn map[*types.Func]bool
	goexits  map[*types.Func]bool
	// cancelTypes are context.CancelFunc and context.CancelCauseFunc.
	cancelTypes []*types.Named
	// done is context.Context.Done.
	done *types.Func
	// timerTypes are time.Timer and time.Ticker.
	timerTypes []*types.TypeName
	// wgMethods names the methods of sync.WaitGroup.
	wgMethods map[*types.Func]string
	// context is context.Context's type name, nil if not imported.
	context *types.TypeName
	// waitGroup is sync.WaitGroup's type name, nil if not imported.
	waitGroup *types.TypeName
	// locks are the lock methods of sync.Mutex and sync.RWMutex.
	locks map[*types.Func]bool
	// lockOps are the methods of sync.Mutex, RWMutex, Cond and Once that
	// take, release or wait on a lock.
	lockOps map[*types.Func]LockOp
	// ctxDerive says how each context constructor makes its result.
	ctxDerive map[*types.Func]Derive
	// goStarts are the methods that run their function argument in a
	// goroutine of its own: sync.WaitGroup.Go, and errgroup.Group.Go
	// from golang.org/x/sync.
	goStarts map[*types.Func]bool
}

// Derive is how a context constructor makes its context.
type Derive uint8

const (
	NotContext  Derive = iota
	NeverDone          // Background, TODO, WithoutCancel: never done
	FromParent         // WithValue: done when its parent is
	Cancellable        // WithCancel(Cause): done when its parent is or its cancel is called
	Timed              // WithTimeout, WithDeadline (and Cause): done on its own too
)

// ctxDeriveSpecs are the context package's constructors.
var ctxDeriveSpecs = []struct {
	name string
	how  Derive
}{
	{"Background", NeverDone}, {"TODO", NeverDone}, {"WithoutCancel", NeverDone},
	{"WithValue", FromParent},
	{"WithCancel", Cancellable}, {"WithCancelCause", Cancellable},
	{"WithTimeout", Timed}, {"WithDeadline", Timed}, {"WithTimeoutCause", Timed}, {"WithDeadlineCause", Timed},
}

// New builds the table for a package from the packages it imports,
// directly or not. Packages it does not import contribute nothing.
func New(pkg *types.Package) *Table {
	wanted := map[string]*types.Package{"context": nil, "os/signal": nil, "iter": nil, "os": nil, "runtime": nil, "syscall": nil, "log": nil, "testing": nil, "time": nil, "sync": nil, errgroupPath: nil}
	missing := len(wanted)
	seen := map[*types.Package]bool{}
	var visit func(p *types.Package)
	visit = func(p *types.Package) {
		if missing == 0 || seen[p] {
			return
		}
		seen[p] = true
		if q, ok := wanted[p.Path()]; ok && q == nil {
			wanted[p.Path()] = p
			missing--
		}
		for _, imp := range p.Imports() {
			visit(imp)
		}
	}
	visit(pkg)

	t := &Table{acquires: map[*types.Func]*Acquire{}, releases: map[*types.Func]bool{}, uses: map[*types.Func]bool{}, noReturn: map[*types.Func]bool{}, goexits: map[*types.Func]bool{}}
	// resolve finds a spec's object; an imported package without it means
	// the table is wrong (Missing reports it).
	resolve := func(pkg, name string) *types.Func {
		fn := lookup(wanted[pkg], name)
		if fn == nil && wanted[pkg] != nil {
			t.missing = append(t.missing, pkg+"."+name)
		}
		return fn
	}
	for _, specs := range []struct {
		list []struct{ pkg, name string }
		into map[*types.Func]bool
	}{{releaseSpecs, t.releases}, {useSpecs, t.uses}, {noReturnSpecs, t.noReturn}} {
		for _, s := range specs.list {
			if fn := resolve(s.pkg, s.name); fn != nil {
				specs.into[fn] = true
			}
		}
	}
	for _, s := range noReturnSpecs {
		// runtime.Goexit and the testing methods that call it end the
		// goroutine, not the process
		if fn := lookup(wanted[s.pkg], s.name); fn != nil && (s.pkg == "testing" || s.name == "Goexit") {
			t.goexits[fn] = true
		}
	}
	for _, s := range acquireSpecs {
		if fn := resolve(s.pkg, s.name); fn != nil {
			a := s.acq
			a.NilOnErr = -1
			a.Name = lastElem(s.pkg) + "." + s.name
			t.acquires[fn] = &a
		}
	}
	t.locks = map[*types.Func]bool{}
	t.ctxDerive = map[*types.Func]Derive{}
	if sp := wanted["sync"]; sp != nil {
		t.waitGroup, _ = sp.Scope().Lookup("WaitGroup").(*types.TypeName)
		for _, name := range []string{"Mutex.Lock", "RWMutex.Lock", "RWMutex.RLock"} {
			if fn := resolve("sync", name); fn != nil {
				t.locks[fn] = true
			}
		}
		t.lockOps = map[*types.Func]LockOp{}
		for _, s := range lockOpSpecs {
			if fn := resolve("sync", s.name); fn != nil {
				t.lockOps[fn] = s.op
			}
		}
	}
	for _, d := range ctxDeriveSpecs {
		if fn := resolve("context", d.name); fn != nil {
			t.ctxDerive[fn] = d.how
		}
	}
	t.wgMethods = map[*types.Func]string{}
	for _, m := range []string{"Add", "Done", "Wait", "Go"} {
		if fn := lookup(wanted["sync"], "WaitGroup."+m); fn != nil {
			t.wgMethods[fn] = m
		}
	}
	t.goStarts = map[*types.Func]bool{}
	for _, s := range []struct{ pkg, name string }{{"sync", "WaitGroup.Go"}, {errgroupPath, "Group.Go"}} {
		if fn := lookup(wanted[s.pkg], s.name); fn != nil {
			t.goStarts[fn] = true
		}
	}
	if tm := wanted["time"]; tm != nil {
		for _, name := range []string{"Timer", "Ticker"} {
			if tn, ok := tm.Scope().Lookup(name).(*types.TypeName); ok {
				t.timerTypes = append(t.timerTypes, tn)
			}
		}
	}
	if ctx := wanted["context"]; ctx != nil {
		t.done = lookup(ctx, "Context.Done")
		t.context, _ = ctx.Scope().Lookup("Context").(*types.TypeName)
		for _, name := range []string{"CancelFunc", "CancelCauseFunc"} {
			if tn, ok := ctx.Scope().Lookup(name).(*types.TypeName); ok {
				if n, ok := tn.Type().(*types.Named); ok {
					t.cancelTypes = append(t.cancelTypes, n)
				}
			}
		}
	}
	return t
}

func lastElem(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[i+1:]
		}
	}
	return path
}

// lookup finds "F" or "T.M" in pkg.
func lookup(pkg *types.Package, name string) *types.Func {
	if pkg == nil {
		return nil
	}
	typ, method := "", name
	for i := 0; i < len(name); i++ {
		if name[i] == '.' {
			typ, method = name[:i], name[i+1:]
		}
	}
	if typ == "" {
		fn, _ := pkg.Scope().Lookup(name).(*types.Func)
		return fn
	}
	tn, ok := pkg.Scope().Lookup(typ).(*types.TypeName)
	if !ok {
		return nil
	}
	recv := tn.Type()
	if !types.IsInterface(recv) {
		recv = types.NewPointer(recv) // finds value and pointer methods
	}
	obj, _, _ := types.LookupFieldOrMethod(recv, true, pkg, method)
	fn, _ := obj.(*types.Func)
	return fn
}

// Missing returns the table entries whose package is imported but whose
// object does not exist in it. It is empty unless the table is wrong.
func (t *Table) Missing() []string { return t.missing }

// Empty reports whether the package can reach no acquire API at all, so
// no resource of any kind can be created in it.
func (t *Table) Empty() bool {
	return len(t.acquires) == 0 && len(t.cancelTypes) == 0 && len(t.wgMethods) == 0
}

// Acquire returns what fn acquires, or nil. fn may be an instance of a
// generic function: its origin is looked up.
func (t *Table) Acquire(fn *types.Func) *Acquire {
	if fn == nil {
		return nil
	}
	return t.acquires[fn.Origin()]
}

// Releases reports whether fn is a method that releases its receiver.
func (t *Table) Releases(fn *types.Func) bool { return fn != nil && t.releases[fn.Origin()] }

// Uses reports whether fn is a method that only uses its receiver.
func (t *Table) Uses(fn *types.Func) bool { return fn != nil && t.uses[fn.Origin()] }

// Goexits reports whether fn ends the calling goroutine, not the process,
// running its deferred calls: runtime.Goexit and the testing methods that
// call it (t.Fatal, t.FailNow, t.Skip...).
func (t *Table) Goexits(fn *types.Func) bool {
	return fn != nil && t.goexits[fn.Origin()]
}

// NoReturn reports whether a call of fn never returns.
func (t *Table) NoReturn(fn *types.Func) bool {
	return fn != nil && t.noReturn[fn.Origin()]
}

// WaitGroupMethod returns "Add", "Done", "Wait" or "Go" when fn is that
// method of sync.WaitGroup, else "".
func (t *Table) WaitGroupMethod(fn *types.Func) string {
	if fn == nil {
		return ""
	}
	return t.wgMethods[fn.Origin()]
}

// errgroupPath is golang.org/x/sync's errgroup: its Group.Go starts a
// goroutine (StartsGoroutine); nothing else of it is modelled.
const errgroupPath = "golang.org/x/sync/errgroup"

// StartsGoroutine reports whether fn runs its function argument in a
// goroutine of its own and returns: sync.WaitGroup.Go and
// errgroup.Group.Go. (errgroup's TryGo may not start it; Go with a
// SetLimit may wait for a slot first, but starts it.)
func (t *Table) StartsGoroutine(fn *types.Func) bool {
	return fn != nil && t.goStarts[fn.Origin()]
}

// IsTimerPointer reports whether typ is *time.Timer or *time.Ticker.
func (t *Table) IsTimerPointer(typ types.Type) bool {
	p, ok := types.Unalias(typ).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok {
		return false
	}
	for _, tn := range t.timerTypes {
		if n.Obj() == tn {
			return true
		}
	}
	return false
}

// IsWaitGroup reports whether typ is sync.WaitGroup.
func (t *Table) IsWaitGroup(typ types.Type) bool {
	n, ok := types.Unalias(typ).(*types.Named)
	return ok && t.waitGroup != nil && n.Obj() == t.waitGroup
}

// Locks reports whether fn is the Lock of a sync.Mutex or the Lock or
// RLock of a sync.RWMutex.
func (t *Table) Locks(fn *types.Func) bool { return fn != nil && t.locks[fn.Origin()] }

// LockOp is what a method of sync.Mutex, RWMutex, Cond or Once does to a
// lock.
type LockOp uint8

const (
	NotLockOp  LockOp = iota
	Lock              // Mutex.Lock, RWMutex.Lock
	Unlock            // Mutex.Unlock, RWMutex.Unlock
	RLock             // RWMutex.RLock
	RUnlock           // RWMutex.RUnlock
	CondWait          // Cond.Wait
	CondSignal        // Cond.Signal, Cond.Broadcast
	OnceDo            // Once.Do: calls its argument
)

var lockOpSpecs = []struct {
	name string
	op   LockOp
}{
	{"Mutex.Lock", Lock}, {"RWMutex.Lock", Lock},
	{"Mutex.Unlock", Unlock}, {"RWMutex.Unlock", Unlock},
	{"RWMutex.RLock", RLock}, {"RWMutex.RUnlock", RUnlock},
	{"Cond.Wait", CondWait}, {"Cond.Signal", CondSignal}, {"Cond.Broadcast", CondSignal},
	{"Once.Do", OnceDo},
}

// LockOpOf says what fn does to a lock, NotLockOp if it is none of the
// sync methods that do.
func (t *Table) LockOpOf(fn *types.Func) LockOp {
	if fn == nil {
		return NotLockOp
	}
	return t.lockOps[fn.Origin()]
}

// ContextDerive says how fn makes a context, NotContext if it is not one
// of the context package's constructors.
func (t *Table) ContextDerive(fn *types.Func) Derive {
	if fn == nil {
		return NotContext
	}
	return t.ctxDerive[fn.Origin()]
}

// IsContext reports whether typ is context.Context.
func (t *Table) IsContext(typ types.Type) bool {
	n, ok := types.Unalias(typ).(*types.Named)
	return ok && t.context != nil && n.Obj() == t.context
}

// IsDone reports whether fn is context.Context's Done method.
func (t *Table) IsDone(fn *types.Func) bool { return fn != nil && fn == t.done }

// IsCancelCauseType reports whether typ is context.CancelCauseFunc, whose
// calls take the cause.
func (t *Table) IsCancelCauseType(typ types.Type) bool {
	n, ok := types.Unalias(typ).(*types.Named)
	return ok && t.IsCancelType(typ) && n.Obj().Name() == "CancelCauseFunc"
}

// IsCancelType reports whether typ is context.CancelFunc or
// context.CancelCauseFunc.
func (t *Table) IsCancelType(typ types.Type) bool {
	n, ok := types.Unalias(typ).(*types.Named)
	if !ok {
		return false
	}
	for _, c := range t.cancelTypes {
		if n.Obj() == c.Obj() {
			return true
		}
	}
	return false
}

// Tracked reports whether obj belongs to one of the table's acquire APIs
// or its signature yields a cancel type: the package prefilter asks this
// of every used object before any SSA is built.
func (t *Table) Tracked(obj types.Object) bool {
	if obj.Pkg() != nil {
		switch obj.Pkg().Path() {
		case "time":
			switch obj.Name() {
			case "C", "Stop", "Reset": // a timer made elsewhere, used here
				return true
			}
		case "sync":
			// Not the lock methods: building SSA and the model for the
			// many packages that only use a mutex cost 1.07x go vet's
			// CPU on the quick slice against 0.96x without, even with
			// dependencies running only the fact producers
			// (internal/driver/vet.go). lockblock sees the packages that
			// pass for their goroutines, channels, contexts, WaitGroups or
			// timers.
			if fn, ok := obj.(*types.Func); ok && t.wgMethods[fn] != "" {
				return true
			}
		}
	}
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	if t.acquires[fn.Origin()] != nil {
		return true
	}
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || len(t.cancelTypes) == 0 {
		return false
	}
	for v := range sig.Results().Variables() {
		if t.IsCancelType(v.Type()) {
			return true
		}
	}
	return false
}
