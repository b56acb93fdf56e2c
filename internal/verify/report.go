package verify

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/leakcheck"
)

// A Report is the outcome of 'leakvet verify', as -json prints it: the
// schema of that output.
type Report struct {
	Archs      []string     `json:"archs"`                // asked for with -arch
	Ran        []string     `json:"ran"`                  // whose tests ran
	Skipped    []string     `json:"skipped,omitempty"`    // that could not run (no qemu)
	Findings   []*Finding   `json:"findings"`             // every static finding, in position order
	Missed     []*Leak      `json:"missed"`               // leaks no finding predicted
	Unverified []Unverified `json:"unverified,omitempty"` // packages whose tests did not run
}

// The statuses of a static finding (confirmed, not observed) and of a
// runtime leak no finding predicted (missed), as reports print them.
const (
	StatusConfirmed   = "confirmed"
	StatusNotObserved = "not observed"
	StatusMissed      = "missed"
)

// A Finding is a static finding (its pass, category, position, message and
// related positions) with what the tests showed of it.
type Finding struct {
	verifiedFinding
	Status string            `json:"status"`          // confirmed on some architecture, or not observed
	ByArch map[string]string `json:"by_arch"`         // the status on each architecture that ran
	Leaks  []*Leak           `json:"leaks,omitempty"` // the leaks that confirm it
}

// A Leak is the goroutines leaked at one place: the records of every
// architecture with the same state, blocking frame and go statement.
type Leak struct {
	State     string          `json:"state"`             // what they wait for, as a goroutine dump says ("chan send")
	Proven    bool            `json:"proven"`            // on some architecture
	Blocking  leakcheck.Frame `json:"blocking"`          // where they block
	CreatedBy leakcheck.Frame `json:"created_by"`        // the go statement that started them
	Package   string          `json:"package,omitempty"` // the package whose tests leaked them
	Count     int             `json:"count"`             // goroutines, on the architecture with most
	Archs     []string        `json:"archs"`             // where it leaked
	matched   bool
	perArch   map[string]int
	// The absolute names of Blocking.File and CreatedBy.File, which
	// relativize shortens for display: SARIF locates the leak by them.
	blockingFile, createdByFile string
}

// Unverified is a package whose tests verify did not run, and why.
type Unverified struct {
	Package string `json:"package"` // import path
	Reason  string `json:"reason"`  // why, and what to change to verify it
}

// join sorts the leaks of each architecture into the findings they
// confirm and the leaks no finding predicted.
func (r *Report) join(findings []*verifiedFinding, leaks map[string][]leakcheck.Leak) {
	var groups []*Leak
	byKey := make(map[string]*Leak)
	for _, arch := range r.Ran {
		// A goroutine reported by Check in a test and again by Main at
		// the end of the binary is one goroutine.
		seen := make(map[string]bool)
		for _, l := range leaks[arch] {
			id := fmt.Sprintf("%s\x00%d", l.Package, l.ID)
			if seen[id] {
				continue
			}
			seen[id] = true
			key := fmt.Sprintf("%s\x00%s:%d\x00%s:%d", l.State, l.Blocking.File, l.Blocking.Line, l.CreatedBy.File, l.CreatedBy.Line)
			g := byKey[key]
			if g == nil {
				g = &Leak{State: l.State, Blocking: l.Blocking, CreatedBy: l.CreatedBy, Package: l.Package, perArch: make(map[string]int),
					blockingFile: l.Blocking.File, createdByFile: l.CreatedBy.File}
				byKey[key] = g
				groups = append(groups, g)
			}
			g.Proven = g.Proven || l.Proven
			if g.perArch[arch] == 0 {
				g.Archs = append(g.Archs, arch)
			}
			g.perArch[arch]++
			g.Count = max(g.Count, g.perArch[arch])
		}
	}
	slices.SortStableFunc(groups, func(a, b *Leak) int {
		if c := strings.Compare(a.Blocking.File, b.Blocking.File); c != 0 {
			return c
		}
		return a.Blocking.Line - b.Blocking.Line
	})

	r.Findings = []*Finding{}
	for _, f := range findings {
		jf := &Finding{verifiedFinding: *f, Status: StatusNotObserved, ByArch: make(map[string]string)}
		for _, arch := range r.Ran {
			jf.ByArch[arch] = StatusNotObserved
		}
		for _, g := range groups {
			if !f.matches(g) {
				continue
			}
			g.matched = true
			jf.Leaks = append(jf.Leaks, g)
			jf.Status = StatusConfirmed
			for _, arch := range g.Archs {
				jf.ByArch[arch] = StatusConfirmed
			}
		}
		r.Findings = append(r.Findings, jf)
	}
	r.Missed = []*Leak{}
	for _, g := range groups {
		if !g.matched {
			r.Missed = append(r.Missed, g)
		}
	}
}

// matches reports whether the leaked goroutines g block at one of the
// finding's positions or were started by a go statement at one of them.
func (f *verifiedFinding) matches(g *Leak) bool {
	for _, fl := range f.lines {
		for _, fr := range []leakcheck.Frame{g.Blocking, g.CreatedBy} {
			if fr.Line == fl.line && sameFile(fr.File, fl.file) {
				return true
			}
		}
	}
	return false
}

func sameFile(a, b string) bool {
	return a == b || report.RealPath(a) == report.RealPath(b)
}

// relativize shortens the file names of the report, as the rest of
// leakvet's output does.
func (r *Report) relativize(paths report.Paths) {
	for _, f := range r.Findings {
		f.Posn = paths.Anywhere(f.Posn)
		for i := range f.Related {
			f.Related[i] = paths.Anywhere(f.Related[i])
		}
	}
	seen := make(map[*Leak]bool)
	for _, g := range r.allLeaks() {
		if !seen[g] {
			seen[g] = true
			g.Blocking.File = paths.Anywhere(g.Blocking.File)
			g.CreatedBy.File = paths.Anywhere(g.CreatedBy.File)
		}
	}
}

func (r *Report) allLeaks() []*Leak {
	out := slices.Clone(r.Missed)
	for _, f := range r.Findings {
		out = append(out, f.Leaks...)
	}
	return out
}

// leaky reports whether a goroutine leaked: a confirmed finding or a
// missed leak.
func (r *Report) leaky() bool {
	if len(r.Missed) > 0 {
		return true
	}
	for _, f := range r.Findings {
		if f.Status == StatusConfirmed {
			return true
		}
	}
	return false
}

// printText prints the report for people: one line per finding and per
// missed leak, the confirming leaks under their finding, and a summary.
func (r *Report) printText(w io.Writer) {
	const indent = "              "
	counts := make(map[string]int)
	for _, f := range r.Findings {
		counts[f.Status]++
		fmt.Fprintf(w, "%-13s %s: %s: %s%s\n", f.Status, f.Posn, f.Pass, f.Message, r.archNote(f.ByArch))
		for _, g := range f.Leaks {
			fmt.Fprintf(w, "%s%s\n", indent, r.describe(g))
		}
	}
	for _, g := range r.Missed {
		counts[StatusMissed]++
		fmt.Fprintf(w, "%-13s %s: no static finding predicted it\n", StatusMissed, r.describe(g))
	}
	for _, u := range r.Unverified {
		fmt.Fprintf(w, "%-13s %s: %s\n", "not verified", u.Package, u.Reason)
	}
	on := strings.Join(r.Ran, ", ")
	if on == "" {
		on = "no architecture"
	}
	fmt.Fprintf(w, "verify on %s: %d confirmed, %d missed, %d not observed", on,
		counts[StatusConfirmed], counts[StatusMissed], counts[StatusNotObserved])
	if n := len(r.Unverified); n > 0 {
		fmt.Fprintf(w, ", %d not verified", n)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, " (not run: %s)", strings.Join(r.Skipped, ", "))
	}
	fmt.Fprintln(w)
}

// archNote says on which architectures a finding was confirmed when that
// is not all of them.
func (r *Report) archNote(byArch map[string]string) string {
	if len(r.Ran) < 2 {
		return ""
	}
	var yes, no []string
	for _, arch := range r.Ran {
		if byArch[arch] == StatusConfirmed {
			yes = append(yes, arch)
		} else {
			no = append(no, arch)
		}
	}
	if len(yes) == 0 || len(no) == 0 {
		return ""
	}
	return fmt.Sprintf(" (confirmed on %s only; not observed on %s)", strings.Join(yes, ", "), strings.Join(no, ", "))
}

// describe says where the goroutines g block, who started them, and on
// which architectures they leaked.
func (r *Report) describe(g *Leak) string {
	what := "goroutine"
	if g.Count > 1 {
		what = fmt.Sprintf("%d goroutines", g.Count)
	}
	how := "suspected"
	if g.Proven {
		how = "proven"
	}
	where := strings.Join(g.Archs, ", ")
	if len(g.Archs) < len(r.Ran) {
		where += " only"
	}
	return fmt.Sprintf("%s [%s, %s] blocked at %s:%d in %s, started at %s:%d (%s)", what, g.State, how,
		g.Blocking.File, g.Blocking.Line, shortFunc(g.Blocking.Function), g.CreatedBy.File, g.CreatedBy.Line, where)
}

// shortFunc drops the directories of a function's import path:
// example.com/m/p.F.func1 -> p.F.func1.
func shortFunc(fn string) string {
	return fn[strings.LastIndexByte(fn, '/')+1:]
}
