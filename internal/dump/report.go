package dump

import (
	"cmp"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/leakvet/leakvet/internal/report"
)

// A Report is the outcome of 'leakvet dump', as -format=json prints it:
// the schema of that output (the HTML page embeds the same JSON).
type Report struct {
	Sources    []Source   `json:"sources"`            // in the order read; with several, the first is the diff's "before", the last its "after"
	Goroutines int        `json:"goroutines"`         // in the last source
	Groups     []*Group   `json:"groups"`             // sorted (see Help), the first -top of them
	Omitted    int        `json:"omitted"`            // groups after the first -top, not listed
	Diff       bool       `json:"diff"`               // several sources: groups carry a diff
	Joined     bool       `json:"joined"`             // -src: groups carry a label, findings are listed
	Findings   []*Finding `json:"findings,omitempty"` // with -src: every static finding, in position order
	Summary    Summary    `json:"summary"`            // over all groups, listed or not
}

// A Source is one dump or profile read.
type Source struct {
	Name       string `json:"name"`       // as given: a file, "-" or a URL
	Form       string `json:"form"`       // what it was read as: "debug=2 text", "goroutine profile"...
	Goroutines int    `json:"goroutines"` // goroutines in it
	Groups     int    `json:"groups"`     // groups they make
}

// Summary counts the groups of a report, listed or not.
type Summary struct {
	Groups       int `json:"groups"`
	Proven       int `json:"proven"`        // groups with goroutines proven leaked
	Growing      int `json:"growing"`       // with several sources: groups with more goroutines in the last
	New          int `json:"new"`           // with several sources: groups only in the last
	Predicted    int `json:"predicted"`     // with -src: groups a static finding predicted
	NotPredicted int `json:"not_predicted"` // with -src: the others
	Observed     int `json:"observed"`      // with -src: findings with a group in the dump
	NotObserved  int `json:"not_observed"`  // with -src: findings without
}

// The labels of groups and the statuses of findings after the join.
const (
	LabelPredicted    = "predicted"
	LabelNotPredicted = "not predicted"
	StatusObserved    = "observed"
	StatusNotObserved = "not observed"
)

// A Finding is a static finding of leakvet's passes, with whether the
// dump shows its goroutines.
type Finding struct {
	Pass       string   `json:"pass"`
	Category   string   `json:"category,omitempty"`
	Posn       string   `json:"posn"` // file:line:col, relative to the working directory where under it
	Message    string   `json:"message"`
	Related    []string `json:"related,omitempty"` // "posn: message" of each related position
	Function   string   `json:"function"`          // the enclosing declaration, package-qualified
	Status     string   `json:"status"`            // observed or not observed
	Goroutines int      `json:"goroutines"`        // in the groups it predicted (last source)

	static *report.Finding
}

// newReport groups the snapshots: one is a report of its groups, more
// are a diff of the first and the last, each group with its count in
// every snapshot.
func newReport(snaps []*Snapshot) *Report {
	r := &Report{}
	for _, s := range snaps {
		r.Sources = append(r.Sources, Source{Name: s.Source, Form: s.Form, Goroutines: s.Goroutines, Groups: len(s.groups)})
	}
	last := snaps[len(snaps)-1]
	r.Goroutines = last.Goroutines
	r.Groups = last.Groups()
	if len(snaps) > 1 {
		r.Diff = true
		first := snaps[0]
		for _, g := range r.Groups {
			d := &GroupDiff{}
			if old := first.groups[g.key]; old != nil {
				d.Before = old.Count
			} else {
				d.New = true
			}
			d.Growth = g.Count - d.Before
			g.Diff = d
		}
		for _, old := range first.Groups() {
			if last.groups[old.key] == nil {
				gone := *old
				gone.Count, gone.Age = 0, nil
				gone.Diff = &GroupDiff{Before: old.Count, Growth: -old.Count, Gone: true}
				r.Groups = append(r.Groups, &gone)
			}
		}
		for _, g := range r.Groups {
			for _, s := range snaps {
				n := 0
				if sg := s.groups[g.key]; sg != nil {
					n = sg.Count
				}
				g.Series = append(g.Series, n)
			}
		}
		// Growing groups first, most growth first; then as one snapshot.
		slices.SortStableFunc(r.Groups, func(a, b *Group) int {
			ga, gb := max(a.Diff.Growth, 0), max(b.Diff.Growth, 0)
			return cmp.Or(cmp.Compare(gb, ga), cmp.Compare(b.score(), a.score()), compareKeys(a.key, b.key))
		})
	}
	r.summarize()
	return r
}

// summarize counts the groups and findings; it runs again after the join.
func (r *Report) summarize() {
	s := Summary{Groups: len(r.Groups)}
	for _, g := range r.Groups {
		if g.Proven {
			s.Proven++
		}
		if g.Diff != nil && g.Diff.Growth > 0 {
			s.Growing++
		}
		if g.Diff != nil && g.Diff.New {
			s.New++
		}
		switch g.Label {
		case LabelPredicted:
			s.Predicted++
		case LabelNotPredicted:
			s.NotPredicted++
		}
	}
	for _, f := range r.Findings {
		if f.Status == StatusObserved {
			s.Observed++
		} else {
			s.NotObserved++
		}
	}
	r.Summary = s
}

// top keeps the first n groups (all for n <= 0). It runs after the join
// and the summary, which count every group; the groups' Findings index
// Report.Findings, which it keeps whole.
func (r *Report) top(n int) {
	if n > 0 && len(r.Groups) > n {
		r.Omitted = len(r.Groups) - n
		r.Groups = r.Groups[:n]
	}
}

// leaky reports whether the report shows a leak worth an exit status of
// 1: a group a static finding predicted, a group that grew between the
// snapshots, or goroutines the runtime proved leaked.
func (r *Report) leaky() bool {
	return r.Summary.Predicted > 0 || r.Summary.Growing > 0 || r.Summary.Proven > 0
}

// printText prints the report for people: a table of the groups, the
// findings that predicted each under it, the findings the dump did not
// show, and a summary.
func (r *Report) printText(w io.Writer) error {
	for i, s := range r.Sources {
		what := "source"
		if r.Diff {
			what = "before"
			if i == len(r.Sources)-1 {
				what = "after"
			} else if i > 0 {
				what = "then"
			}
		}
		fmt.Fprintf(w, "%-7s %s (%s): %d goroutines in %d groups\n", what+":", s.Name, s.Form, s.Goroutines, s.Groups)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	head := []string{"COUNT"}
	if r.Diff {
		head = append(head, "GROWTH")
	}
	head = append(head, "AGE", "STATE", "BLOCKING", "CREATED BY")
	if r.Joined {
		head = append(head, "LABEL")
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, g := range r.Groups {
		row := []string{fmt.Sprint(g.Count)}
		if r.Diff {
			row = append(row, g.growthText())
		}
		row = append(row, g.ageText(), g.stateText(), g.Blocking.short(), g.createdByText())
		if r.Joined {
			row = append(row, g.Label)
		}
		fmt.Fprintln(tw, strings.Join(row, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if r.Omitted > 0 {
		fmt.Fprintf(w, "... and %d more groups (-top 0 lists them all)\n", r.Omitted)
	}
	if r.Joined {
		fmt.Fprintln(w)
		for _, f := range r.Findings {
			fmt.Fprintf(w, "%-12s %s: %s: %s\n", f.Status, f.Posn, f.Pass, f.Message)
			if f.Status == StatusObserved {
				fmt.Fprintf(w, "%-12s %d goroutines in the dump\n", "", f.Goroutines)
			}
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, r.summaryLine())
	return nil
}

// summaryLine is the last line of the text report.
func (r *Report) summaryLine() string {
	s := r.Summary
	parts := []string{fmt.Sprintf("%d goroutines in %d groups", r.Goroutines, s.Groups)}
	if s.Proven > 0 {
		parts = append(parts, fmt.Sprintf("%d proven leaked", s.Proven))
	}
	if r.Diff {
		parts = append(parts, fmt.Sprintf("%d growing (%d new)", s.Growing, s.New))
	}
	if r.Joined {
		parts = append(parts, fmt.Sprintf("%d predicted, %d not predicted; findings: %d observed, %d not observed",
			s.Predicted, s.NotPredicted, s.Observed, s.NotObserved))
	}
	return "dump: " + strings.Join(parts, ", ")
}

func (g *Group) growthText() string {
	switch d := g.Diff; {
	case d == nil:
		return ""
	case d.Gone:
		return "gone"
	case d.New:
		return fmt.Sprintf("new +%d", d.Growth)
	case d.Growth > 0:
		return fmt.Sprintf("+%d", d.Growth)
	default:
		return fmt.Sprint(d.Growth)
	}
}

func (g *Group) ageText() string {
	switch {
	case g.Age == nil:
		return "-"
	case g.Age.Max == 0:
		return "<1m" // the runtime prints minutes from the first on
	case g.Age.Min == g.Age.Max:
		return fmt.Sprintf("%dm", g.Age.Max)
	default:
		return fmt.Sprintf("%d-%dm", g.Age.Min, g.Age.Max)
	}
}

func (g *Group) stateText() string {
	s := g.State
	if s == "" {
		s = "-"
	}
	if g.Proven {
		s += " (proven leaked)"
	}
	return s
}

func (g *Group) createdByText() string {
	if g.CreatedBy == nil {
		return "-"
	}
	return g.CreatedBy.position()
}

// short is "p.F.func1 dir/file.go:12": the function without its import
// path's directories, the file with its directory only.
func (f Frame) short() string {
	if f.Function == "" {
		return "(runtime frames only)" // debug=1 prints no runtime frame
	}
	fn := f.Function[strings.LastIndexByte(f.Function, '/')+1:]
	if f.File == "" {
		return fn
	}
	return fn + " " + f.position()
}

// position is "dir/file.go:12".
func (f Frame) position() string {
	file := strings.ReplaceAll(f.File, `\`, "/")
	dir, base := path.Split(file)
	if d := path.Base(strings.TrimSuffix(dir, "/")); d != "." && d != "/" && d != "" {
		base = d + "/" + base
	}
	return fmt.Sprintf("%s:%d", base, f.Line)
}
