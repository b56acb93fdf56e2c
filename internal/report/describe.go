package report

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Describe prints a pass's full documentation and flags, as 'leakvet help
// NAME' shows them and as the help text of the pass's SARIF rules.
func Describe(w io.Writer, a *analysis.Analyzer) {
	fmt.Fprintf(w, "%s: %s\n", a.Name, strings.TrimRight(a.Doc, "\n"))
	fmt.Fprintf(w, "\nRun only this pass with -%[1]s, or all but this one with -%[1]s=false.\n", a.Name)
	first := true
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	a.Flags.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\nFlags:")
			fmt.Fprintln(w)
			first = false
		}
		fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
	})
	fs.SetOutput(w)
	fs.PrintDefaults()
	if a.URL != "" {
		fmt.Fprintf(w, "\nMore: %s\n", a.URL)
	}
}

// Summary is the first line of a pass's Doc.
func Summary(a *analysis.Analyzer) string {
	first, _, _ := strings.Cut(a.Doc, "\n")
	return strings.TrimSpace(first)
}
