package dump

import (
	"cmp"
	"slices"
	"strings"

	"github.com/leakvet/leakvet/leakcheck"
)

// A Frame is one call of a goroutine's stack.
type Frame struct {
	Function string `json:"function"` // package-qualified, as the runtime prints it: "example.com/m.(*T).run.func1"
	File     string `json:"file"`     // as the dump names it: a path on the machine that built the binary
	Line     int    `json:"line"`
}

// A record is one goroutine, or one sample of identical goroutines, as a
// parser reads it. Records are folded into groups and not kept.
type record struct {
	count     int    // goroutines it stands for: 1 in a dump, the sample's value in a profile
	state     string // the wait reason, without " (leaked)"; "" when the form has none
	proven    bool   // the goroutineleak profile, or " (leaked)": the GC proved it can never run again
	minutes   int    // minutes blocked; -1 when the form does not say
	frames    []Frame
	createdBy Frame // zero when the form does not say (profiles) or for the main goroutine
}

// An Age is the range of minutes that the goroutines of a group have been
// blocked, as the runtime prints it: whole minutes, and only from one
// minute on (0 is "less than a minute").
type Age struct {
	Min int `json:"min"`
	Max int `json:"max"`
}

// A Group is the goroutines of a snapshot that block at the same frame,
// in the same state, started by the same go statement.
type Group struct {
	State     string  `json:"state"`                // the wait reason ("chan send"); for profiles, inferred from the runtime frames or ""
	Blocking  Frame   `json:"blocking"`             // where they wait: the first frame outside the standard library (see blockingFrame)
	CreatedBy *Frame  `json:"created_by,omitempty"` // the go statement that started them, when the form says
	Count     int     `json:"count"`                // goroutines
	Age       *Age    `json:"age,omitempty"`        // minutes blocked, when the form says (text dumps)
	Proven    bool    `json:"proven"`               // some were proven leaked (goroutineleak profile or "(leaked)")
	Stack     []Frame `json:"stack"`                // the stack of one of them, innermost call first

	Diff   *GroupDiff `json:"diff,omitempty"`   // with several snapshots: how it changed from the first to the last
	Series []int      `json:"series,omitempty"` // with several snapshots: its count in each, in order

	Label    string `json:"label,omitempty"`    // with -src: "predicted" or "not predicted"
	Match    string `json:"match,omitempty"`    // how the findings matched: "line" or "function" (see the join rule)
	Findings []int  `json:"findings,omitempty"` // indexes in Report.Findings of the findings that predicted it

	key groupKey
}

// GroupDiff is how a group changed between the first and the last
// snapshot.
type GroupDiff struct {
	Before int  `json:"before"` // goroutines in the first snapshot
	Growth int  `json:"growth"` // Count - Before
	New    bool `json:"new"`    // not in the first snapshot
	Gone   bool `json:"gone"`   // in the first snapshot only (Count is 0)
}

// groupKey is what makes goroutines one group.
type groupKey struct {
	state              string
	blockFn, blockFile string
	blockLine          int
	createdFile        string
	createdLine        int
}

// score orders groups: many goroutines blocked long first.
func (g *Group) score() int64 {
	age := 0
	if g.Age != nil {
		age = g.Age.Max
	}
	return int64(g.Count) * int64(age+1)
}

// A Snapshot is one source read and grouped.
type Snapshot struct {
	Source     string // as the user named it
	Form       string // what it was read as (see the Form constants)
	Goroutines int    // goroutines read
	groups     map[groupKey]*Group
}

// The forms a source is read as.
const (
	FormText     = "debug=2 text"               // runtime.Stack(all): /debug/pprof/goroutine?debug=2, SIGQUIT, a panic
	FormDebug1   = "debug=1 text"               // /debug/pprof/goroutine?debug=1
	FormProfile  = "goroutine profile"          // the protobuf profile
	FormLeak     = "goroutineleak profile"      // Go 1.26's, protobuf: every goroutine in it is proven leaked
	FormLeakText = "goroutineleak debug=1 text" // /debug/pprof/goroutineleak?debug=1
)

func newSnapshot(source string) *Snapshot {
	return &Snapshot{Source: source, groups: make(map[groupKey]*Group)}
}

// add folds r into its group.
func (s *Snapshot) add(r *record) {
	if r.count <= 0 {
		return
	}
	s.Goroutines += r.count
	b := blockingFrame(r.frames)
	k := groupKey{state: r.state, blockFn: b.Function, blockFile: b.File, blockLine: b.Line,
		createdFile: r.createdBy.File, createdLine: r.createdBy.Line}
	g := s.groups[k]
	if g == nil {
		g = &Group{State: r.state, Blocking: b, Stack: slices.Clone(r.frames), key: k}
		if r.createdBy != (Frame{}) {
			cb := r.createdBy
			g.CreatedBy = &cb
		}
		if r.minutes >= 0 {
			g.Age = &Age{Min: r.minutes, Max: r.minutes}
		}
		s.groups[k] = g
	} else if g.Age != nil && r.minutes >= 0 {
		g.Age.Min = min(g.Age.Min, r.minutes)
		g.Age.Max = max(g.Age.Max, r.minutes)
	}
	g.Count += r.count
	g.Proven = g.Proven || r.proven
}

// Groups returns the groups of the snapshot sorted by count × (max
// minutes + 1), largest first, then by key: the same input always prints
// the same way.
func (s *Snapshot) Groups() []*Group {
	out := make([]*Group, 0, len(s.groups))
	for _, g := range s.groups {
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b *Group) int {
		return cmp.Or(cmp.Compare(b.score(), a.score()), compareKeys(a.key, b.key))
	})
	return out
}

func compareKeys(a, b groupKey) int {
	return cmp.Or(
		cmp.Compare(a.blockFile, b.blockFile),
		cmp.Compare(a.blockLine, b.blockLine),
		cmp.Compare(a.blockFn, b.blockFn),
		cmp.Compare(a.state, b.state),
		cmp.Compare(a.createdFile, b.createdFile),
		cmp.Compare(a.createdLine, b.createdLine),
	)
}

// blockingFrame returns the frame where a goroutine waits in the code of
// its program: the first frame outside the standard library, as leakcheck
// chooses it, so that a goroutine in sync.(*WaitGroup).Wait blocks at its
// caller. A goroutine entirely in the standard library (an HTTP server's
// connection) blocks at its first frame outside package runtime and
// internal/..., and one entirely in the runtime at its first frame.
func blockingFrame(frames []Frame) Frame {
	for _, f := range frames {
		if !(leakcheck.Frame{Function: f.Function}).Std() {
			return f
		}
	}
	for _, f := range frames {
		pkg := funcPackage(f.Function)
		if pkg != "runtime" && !strings.HasPrefix(pkg, "runtime/") && pkg != "internal" && !strings.HasPrefix(pkg, "internal/") {
			return f
		}
	}
	if len(frames) > 0 {
		return frames[0]
	}
	return Frame{}
}

// inferState names the wait of a goroutine from its runtime frames, for
// the protobuf profile, which records stacks but no wait reasons. Only the
// unambiguous waits are named; the others stay "".
func inferState(frames []Frame) string {
	for _, f := range frames {
		switch f.Function {
		case "runtime.chansend", "runtime.chansend1":
			return "chan send"
		case "runtime.chanrecv", "runtime.chanrecv1", "runtime.chanrecv2":
			return "chan receive"
		case "runtime.selectgo":
			return "select"
		case "runtime.block":
			return "select (no cases)"
		case "time.Sleep":
			return "sleep"
		case "sync.runtime_SemacquireWaitGroup":
			return "sync.WaitGroup.Wait"
		case "sync.runtime_SemacquireMutex":
			return "sync.Mutex.Lock"
		case "internal/poll.runtime_pollWait":
			return "IO wait"
		}
		if !strings.HasPrefix(f.Function, "runtime.") {
			return ""
		}
	}
	return ""
}

// funcPackage is the import path of a function name as the runtime
// prints it, by leakcheck's rule.
func funcPackage(fn string) string { return leakcheck.Frame{Function: fn}.Package() }
