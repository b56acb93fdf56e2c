package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/leakvet/leakvet/leakcheck"
)

// A verifyReport is the outcome of 'leakvet verify', as -json prints it.
type verifyReport struct {
	Archs      []string         `json:"archs"`             // asked for with -arch
	Ran        []string         `json:"ran"`               // whose tests ran
	Skipped    []string         `json:"skipped,omitempty"` // that could not run (no qemu)
	Findings   []*joinedFinding `json:"findings"`
	Missed     []*runtimeLeak   `json:"missed"`
	Unverified []unverified     `json:"unverified,omitempty"`
}

// The statuses of a static finding and of a runtime leak.
const (
	statusConfirmed   = "confirmed"
	statusNotObserved = "not observed"
	statusMissed      = "missed"
)

// A joinedFinding is a static finding with what the tests showed of it.
type joinedFinding struct {
	verifiedFinding
	Status string            `json:"status"` // confirmed on some architecture, or not observed
	ByArch map[string]string `json:"by_arch"`
	Leaks  []*runtimeLeak    `json:"leaks,omitempty"` // the leaks that confirm it
}

// A runtimeLeak is the goroutines leaked at one place: the records of
// every architecture with the same state, blocking frame and go statement.
type runtimeLeak struct {
	State     string          `json:"state"`
	Proven    bool            `json:"proven"` // on some architecture
	Blocking  leakcheck.Frame `json:"blocking"`
	CreatedBy leakcheck.Frame `json:"created_by"`
	Package   string          `json:"package,omitempty"`
	Count     int             `json:"count"` // goroutines, on the architecture with most
	Archs     []string        `json:"archs"` // where it leaked
	matched   bool
	perArch   map[string]int
	// The absolute names of Blocking.File and CreatedBy.File, which
	// relativize shortens for display: SARIF locates the leak by them.
	blockingFile, createdByFile string
}

type unverified struct {
	Package string `json:"package"`
	Reason  string `json:"reason"`
}

// join sorts the leaks of each architecture into the findings they
// confirm and the leaks no finding predicted.
func (r *verifyReport) join(findings []*verifiedFinding, leaks map[string][]leakcheck.Leak) {
	var groups []*runtimeLeak
	byKey := make(map[string]*runtimeLeak)
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
				g = &runtimeLeak{State: l.State, Blocking: l.Blocking, CreatedBy: l.CreatedBy, Package: l.Package, perArch: make(map[string]int),
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
	slices.SortStableFunc(groups, func(a, b *runtimeLeak) int {
		if c := strings.Compare(a.Blocking.File, b.Blocking.File); c != 0 {
			return c
		}
		return a.Blocking.Line - b.Blocking.Line
	})

	r.Findings = []*joinedFinding{}
	for _, f := range findings {
		jf := &joinedFinding{verifiedFinding: *f, Status: statusNotObserved, ByArch: make(map[string]string)}
		for _, arch := range r.Ran {
			jf.ByArch[arch] = statusNotObserved
		}
		for _, g := range groups {
			if !f.matches(g) {
				continue
			}
			g.matched = true
			jf.Leaks = append(jf.Leaks, g)
			jf.Status = statusConfirmed
			for _, arch := range g.Archs {
				jf.ByArch[arch] = statusConfirmed
			}
		}
		r.Findings = append(r.Findings, jf)
	}
	r.Missed = []*runtimeLeak{}
	for _, g := range groups {
		if !g.matched {
			r.Missed = append(r.Missed, g)
		}
	}
}

// matches reports whether the leaked goroutines g block at one of the
// finding's positions or were started by a go statement at one of them.
func (f *verifiedFinding) matches(g *runtimeLeak) bool {
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
	return a == b || realPath(a) == realPath(b)
}

// relativize shortens the file names of the report, as the rest of
// leakvet's output does.
func (r *verifyReport) relativize(paths relativizer) {
	for _, f := range r.Findings {
		f.Posn = paths.anywhere(f.Posn)
		for i := range f.Related {
			f.Related[i] = paths.anywhere(f.Related[i])
		}
	}
	seen := make(map[*runtimeLeak]bool)
	for _, g := range r.allLeaks() {
		if !seen[g] {
			seen[g] = true
			g.Blocking.File = paths.anywhere(g.Blocking.File)
			g.CreatedBy.File = paths.anywhere(g.CreatedBy.File)
		}
	}
}

func (r *verifyReport) allLeaks() []*runtimeLeak {
	out := slices.Clone(r.Missed)
	for _, f := range r.Findings {
		out = append(out, f.Leaks...)
	}
	return out
}

// leaky reports whether a goroutine leaked: a confirmed finding or a
// missed leak.
func (r *verifyReport) leaky() bool {
	if len(r.Missed) > 0 {
		return true
	}
	for _, f := range r.Findings {
		if f.Status == statusConfirmed {
			return true
		}
	}
	return false
}

// printText prints the report for people: one line per finding and per
// missed leak, the confirming leaks under their finding, and a summary.
func (r *verifyReport) printText(w io.Writer) {
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
		counts[statusMissed]++
		fmt.Fprintf(w, "%-13s %s: no static finding predicted it\n", statusMissed, r.describe(g))
	}
	for _, u := range r.Unverified {
		fmt.Fprintf(w, "%-13s %s: %s\n", "not verified", u.Package, u.Reason)
	}
	on := strings.Join(r.Ran, ", ")
	if on == "" {
		on = "no architecture"
	}
	fmt.Fprintf(w, "verify on %s: %d confirmed, %d missed, %d not observed", on,
		counts[statusConfirmed], counts[statusMissed], counts[statusNotObserved])
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
func (r *verifyReport) archNote(byArch map[string]string) string {
	if len(r.Ran) < 2 {
		return ""
	}
	var yes, no []string
	for _, arch := range r.Ran {
		if byArch[arch] == statusConfirmed {
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
func (r *verifyReport) describe(g *runtimeLeak) string {
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
