// Package leakcheck finds goroutines leaked by tests.
//
// Use it as goleak is used. For a whole test binary, in TestMain:
//
//	func TestMain(m *testing.M) {
//		leakcheck.Main(m)
//	}
//
// or for one test:
//
//	func TestF(t *testing.T) {
//		defer leakcheck.Check(t)
//		...
//	}
//
// Each leaked goroutine is listed with its wait reason, the frame where it
// blocks (file:line) and the go statement that created it.
//
// Two detectors are used, best first. When the test binary is built with
// GOEXPERIMENT=goroutineleakprofile (Go 1.26), the runtime's
// "goroutineleak" profile runs a GC that proves some goroutines can never
// wake (blocked on channels, selects, WaitGroups and other primitives that
// no runnable goroutine can reach): those records are marked Proven.
// Every other goroutine still alive that was not there at the start (or is
// not ignored) is reported too, marked as suspected: the profile cannot see
// goroutines blocked on something a global or a running goroutine still
// references, sleeping, or looping on a ticker. Suspected goroutines are
// given time to finish: the check retries with backoff, up to MaxWait
// (default 1s), before it reports them.
//
// When the environment variable LEAKCHECK_JSON names a file, Main and Check
// append one JSON object per leaked goroutine to it (see Leak) and do not
// fail: that is how 'leakvet verify' collects the leaks of every test
// binary. LEAKCHECK_ARCH, if set, overrides the GOARCH recorded.
//
// Check is not meant for parallel tests: the goroutines of other tests
// running at the same time would be reported.
package leakcheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// JSONEnv names the environment variable that, when it names a file, makes
// Main and Check append their records to it as JSON lines instead of
// failing.
const JSONEnv = "LEAKCHECK_JSON"

// archEnv overrides the recorded GOARCH (leakvet verify sets it).
const archEnv = "LEAKCHECK_ARCH"

// A Frame is one function call on a goroutine's stack.
type Frame struct {
	Function string `json:"function"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

func (f Frame) String() string {
	return fmt.Sprintf("%s (%s:%d)", f.Function, f.File, f.Line)
}

// Package is the import path of the frame's function, as the runtime
// prints function names: "example.com/m/p.(*T).run.func1" is in
// "example.com/m/p".
func (f Frame) Package() string { return funcPackage(f.Function) }

// Std reports whether the frame's function belongs to the standard
// library (or the runtime): its import path's first element has no dot
// and it is not package main nor a _test package. A module whose path has
// no dot looks like the standard library too.
func (f Frame) Std() bool { return isStd(f.Function) }

// A Leak is one leaked goroutine.
type Leak struct {
	ID    int64  `json:"id"`
	State string `json:"state"` // the wait reason, as the runtime prints it: "chan send", "select", "sleep"
	// Proven is set when the goroutineleak profile proved that the
	// goroutine can never run again; otherwise the leak is suspected:
	// the goroutine was still alive after MaxWait.
	Proven    bool    `json:"proven"`
	Blocking  Frame   `json:"blocking"`   // the first frame outside the standard library
	CreatedBy Frame   `json:"created_by"` // the go statement that started it
	Stack     []Frame `json:"stack"`
	Package   string  `json:"package,omitempty"` // the package under test
	Test      string  `json:"test,omitempty"`    // the test that checked, for Check
	GOARCH    string  `json:"goarch"`
}

func (l Leak) String() string {
	how := "suspected: still alive"
	if l.Proven {
		how = "proven: the GC found it can never wake"
	}
	return fmt.Sprintf("goroutine %d [%s] %s\n\tblocked at %s\n\tcreated by %s",
		l.ID, l.State, how, l.Blocking, l.CreatedBy)
}

// An Option changes what is ignored or how long to wait.
type Option func(*config)

type config struct {
	ignoreTop map[string]bool
	ignoreIDs map[int64]bool
	maxWait   time.Duration
}

// IgnoreTopFunction ignores goroutines whose first frame is in the named
// function ("example.com/p.worker", "internal/poll.runtime_pollWait").
func IgnoreTopFunction(name string) Option {
	return func(c *config) { c.ignoreTop[name] = true }
}

// IgnoreCurrent ignores the goroutines alive when it is called. As with
// goleak, in 'defer leakcheck.Check(t, leakcheck.IgnoreCurrent())' the
// argument is evaluated at the defer statement, at the start of the test.
func IgnoreCurrent() Option {
	ids := make(map[int64]bool)
	gs, _ := snapshot()
	for _, g := range gs {
		ids[g.id] = true
	}
	return func(c *config) {
		for id := range ids {
			c.ignoreIDs[id] = true
		}
	}
}

// MaxWait sets how long to wait, retrying with backoff, for goroutines
// that are not proven leaked to finish (default 1s).
func MaxWait(d time.Duration) Option {
	return func(c *config) { c.maxWait = d }
}

func newConfig(opts []Option) *config {
	c := &config{ignoreTop: make(map[string]bool), ignoreIDs: make(map[int64]bool), maxWait: time.Second}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Find returns the goroutines leaked now: every goroutine but the caller's
// and the ignored ones, after waiting up to MaxWait for those not proven
// leaked to finish. The leaks are in the order of goroutine IDs.
func Find(opts ...Option) []Leak {
	return find(newConfig(opts))
}

func find(c *config) []Leak {
	self := currentID()
	deadline := time.Now().Add(c.maxWait)
	pause := time.Millisecond
	for {
		gs, _ := snapshot()
		var leaks []Leak
		allProven := true
		for i := range gs {
			g := &gs[i]
			if g.id == self || c.ignoreIDs[g.id] || ignored(g, c) {
				continue
			}
			leaks = append(leaks, leakOf(g))
			allProven = allProven && g.leaked
		}
		// Proven leaks never wake: no use waiting for them.
		if len(leaks) == 0 || allProven || !time.Now().Before(deadline) {
			sort.Slice(leaks, func(i, j int) bool { return leaks[i].ID < leaks[j].ID })
			return leaks
		}
		time.Sleep(pause)
		if pause < 100*time.Millisecond {
			pause *= 2
		}
	}
}

// snapshot dumps every goroutine: through the goroutineleak profile when
// the binary has it (it runs the leak-detecting GC first, then writes all
// stacks with the leaked ones marked), else through runtime.Stack. It
// reports which detector ran.
func snapshot() ([]goroutine, bool) {
	if p := pprof.Lookup("goroutineleak"); p != nil {
		var buf bytes.Buffer
		if err := p.WriteTo(&buf, 2); err == nil {
			return parseDump(buf.Bytes()), true
		}
	}
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return parseDump(buf[:n]), false
		}
		buf = make([]byte, 2*len(buf))
	}
}

// currentID returns the ID of the calling goroutine, from the header of its
// own stack.
func currentID() int64 {
	buf := make([]byte, 64)
	buf = buf[:runtime.Stack(buf, false)]
	f := strings.Fields(string(buf))
	if len(f) < 2 {
		return 0
	}
	id, _ := strconv.ParseInt(f[1], 10, 64)
	return id
}

// ignored reports whether g is ignored by top function, or is one of the
// goroutines of the testing framework and the runtime that outlive tests:
// the ones waiting for subtests and parallel tests, and signal handling.
func ignored(g *goroutine, c *config) bool {
	if len(g.frames) == 0 {
		return true
	}
	top := g.frames[0].Function
	if c.ignoreTop[top] {
		return true
	}
	switch funcPackage(top) {
	case "testing", "os/signal":
		return true
	}
	switch top {
	case "runtime.goexit", "runtime.ensureSigM.func1", "runtime/pprof.profileWriter":
		return true
	}
	return false
}

func leakOf(g *goroutine) Leak {
	arch := os.Getenv(archEnv)
	if arch == "" {
		arch = runtime.GOARCH
	}
	return Leak{
		ID:        g.id,
		State:     g.state,
		Proven:    g.leaked,
		Blocking:  g.blocking(),
		CreatedBy: g.createdBy,
		Stack:     g.frames,
		GOARCH:    arch,
	}
}

// Main runs the tests of m, then checks for leaked goroutines: if any, it
// lists them on standard error and the binary fails. It does not return.
// The leak check is skipped when the tests failed (a failed test leaves
// goroutines behind), except for the records of $LEAKCHECK_JSON.
func Main(m *testing.M, opts ...Option) {
	pkg := callerPackage()
	os.Exit(mainCode(m.Run(), pkg, opts))
}

func mainCode(code int, pkg string, opts []Option) int {
	sink := os.Getenv(JSONEnv)
	if code != 0 && sink == "" {
		return code
	}
	leaks := Find(opts...)
	for i := range leaks {
		leaks[i].Package = pkg
	}
	if sink != "" {
		if err := appendJSON(sink, leaks); err != nil {
			fmt.Fprintf(os.Stderr, "leakcheck: %v\n", err)
			return 1
		}
		return code
	}
	if len(leaks) == 0 {
		return code
	}
	fmt.Fprintf(os.Stderr, "leakcheck: %s after the tests ran:\n", plural(len(leaks)))
	for _, l := range leaks {
		fmt.Fprintf(os.Stderr, "%s\n", l)
	}
	return 1
}

// Check fails the test t if goroutines leaked, listing each. Defer it:
//
//	defer leakcheck.Check(t)
func Check(t testing.TB, opts ...Option) {
	t.Helper()
	pkg := callerPackage()
	leaks := Find(opts...)
	if len(leaks) == 0 {
		return
	}
	for i := range leaks {
		leaks[i].Package, leaks[i].Test = pkg, t.Name()
	}
	if sink := os.Getenv(JSONEnv); sink != "" {
		if err := appendJSON(sink, leaks); err != nil {
			t.Errorf("leakcheck: %v", err)
		}
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "leakcheck: %s:", plural(len(leaks)))
	for _, l := range leaks {
		fmt.Fprintf(&b, "\n%s", l)
	}
	t.Error(b.String())
}

func plural(n int) string {
	if n == 1 {
		return "1 leaked goroutine"
	}
	return fmt.Sprintf("%d leaked goroutines", n)
}

// callerPackage returns the package of the function that called our
// caller (the TestMain or the test), without the _test of an external
// test package.
func callerPackage() string {
	pc, _, _, ok := runtime.Caller(2)
	if !ok {
		return ""
	}
	fn := runtime.FuncForPC(pc)
	if fn == nil {
		return ""
	}
	return strings.TrimSuffix(funcPackage(fn.Name()), "_test")
}

// appendJSON appends the leaks to the file name as JSON lines, each in one
// write, so that test binaries run in parallel can share the file.
func appendJSON(name string, leaks []Leak) error {
	if len(leaks) == 0 {
		return nil
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	for _, l := range leaks {
		line, err := json.Marshal(l)
		if err != nil {
			f.Close()
			return err
		}
		if _, err := f.Write(append(line, '\n')); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}
