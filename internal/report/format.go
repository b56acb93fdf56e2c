package report

import (
	"bytes"
	"fmt"
	"io"
	"regexp"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/leakvet/leakvet/internal/witness"
)

// Formats returns the names of the output formats, in the order -h lists
// them: text (file:line:col: message), json (the schema of go vet -json),
// sarif (SARIF 2.1.0) and github (GitHub Actions workflow commands).
func Formats() []string {
	return []string{"text", "json", "sarif", "github"}
}

// An Output says how Write prints findings.
type Output struct {
	Format  string               // one of Formats
	Context int                  // text: lines of source around each finding, -1 for none
	Paths   Paths                // text: how file names are shortened
	Dir     string               // sarif and github: name files relative to SourceRoot(Dir)
	Passes  []*analysis.Analyzer // sarif: the passes that ran, whose rules it lists
}

// Write prints the findings to w: text and json from the graph g, as
// x/tools prints them, sarif and github from the deduplicated findings
// (see Collect).
func (o Output) Write(w io.Writer, g *checker.Graph, findings []*Finding) error {
	switch o.Format {
	case "json":
		if len(g.Roots) == 0 {
			_, err := fmt.Fprintln(w, "{}")
			return err
		}
		return g.PrintJSON(w)
	case "sarif":
		return NewSARIF(o.Passes, findings, SourceRoot(o.Dir)).Encode(w)
	case "github":
		return writeGitHub(w, findings, SourceRoot(o.Dir))
	}
	var buf bytes.Buffer
	if err := g.PrintText(&buf, o.Context); err != nil {
		return err
	}
	_, err := w.Write(schedules(o.Paths.LineStarts(buf.Bytes())))
	return err
}

// stepLine is a related position of the text format that is a step of a
// witness schedule: "POS: \tstep N, GOROUTINE: WHAT".
var stepLine = regexp.MustCompile(`^(.*?): \t(step \d+, [^:]+: .*)$`)

// schedules rewrites the runs of witness steps among the related lines of
// the text format as a schedule block:
//
//	file.go:16:8: s.mu is locked again here, ...
//	file.go:10:8: 	schedule:
//	file.go:10:8: 	  1. goroutine 1: locks s.mu
//	file.go:16:8: 	  2. goroutine 1: locks s.mu again: blocks forever
//
// Every line keeps its position, as the other related lines do, so tools
// that read file:line:col prefixes read these too.
func schedules(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	var out bytes.Buffer
	in := false
	for _, line := range lines {
		m := stepLine.FindSubmatch(bytes.TrimRight(line, "\n"))
		var n int
		var g, what string
		ok := m != nil
		if ok {
			n, g, what, ok = witness.Parse(string(m[2]))
		}
		if !ok {
			in = false
			out.Write(line)
			continue
		}
		if !in {
			fmt.Fprintf(&out, "%s: \tschedule:\n", m[1])
			in = true
		}
		fmt.Fprintf(&out, "%s: \t  %d. %s: %s\n", m[1], n, g, what)
	}
	return out.Bytes()
}
