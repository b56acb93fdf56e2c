// Package suppress implements leakvet's in-source suppressions:
//
//	//leakvet:ignore <pass>[,<pass>...] <reason>
//
// on the line of a finding or the line above it silences that pass's
// findings there. The reason is required: a directive without one is
// reported (and suppresses nothing), so every silenced finding says why.
// The passes honour the directives themselves, so they work alike under
// go vet, the standalone driver, golangci-lint and gopls.
package suppress

import (
	"flag"
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Prefix starts a directive.
const Prefix = "//leakvet:ignore"

// FirstPass reports the directives that name no pass (a bare
// //leakvet:ignore): it is first in leakvet's stable order, so they are
// reported once.
const FirstPass = "ctxcancel"

// Categories of the findings about directives themselves, reported
// under the pass a directive names.
const (
	CategoryNoReason = "ignore-without-reason" // a directive with no reason or no pass
	CategoryUnused   = "unused-ignore"         // with -NAME.report-unused-ignores: silences nothing
)

// FlagUnused is the name of each pass's flag that reports directives that
// silenced nothing.
const FlagUnused = "report-unused-ignores"

type directive struct {
	pos    token.Pos
	passes []string
	reason string
	used   bool
}

// Filter wraps pass.Report so that the findings a directive covers are
// dropped. Call the returned finish when the pass is done: it reports the
// directives naming this pass that lack a reason and, when reportUnused,
// those that silenced nothing.
func Filter(pass *analysis.Pass, reportUnused bool) (finish func()) {
	name := pass.Analyzer.Name
	byLine := map[string][]*directive{} // "file:line" of the directive
	var mine []*directive
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				d := parse(c)
				if d == nil || !(names(d, name) || (len(d.passes) == 0 && name == FirstPass)) {
					continue
				}
				mine = append(mine, d)
				p := pass.Fset.Position(c.Pos())
				key := fmt.Sprintf("%s:%d", p.Filename, p.Line)
				byLine[key] = append(byLine[key], d)
			}
		}
	}
	if len(mine) == 0 {
		return func() {}
	}
	report := pass.Report
	pass.Report = func(diag analysis.Diagnostic) {
		p := pass.Fset.Position(diag.Pos)
		for _, line := range []int{p.Line, p.Line - 1} {
			for _, d := range byLine[fmt.Sprintf("%s:%d", p.Filename, line)] {
				if d.reason != "" {
					d.used = true
					return
				}
			}
		}
		report(diag)
	}
	return func() {
		for _, d := range mine {
			switch {
			case len(d.passes) == 0:
				report(analysis.Diagnostic{
					Pos:      d.pos,
					Category: CategoryNoReason,
					Message:  fmt.Sprintf("%s needs a pass name and a reason (%s ctxcancel why this is not a leak); it silences nothing", Prefix, Prefix),
				})
			case d.reason == "":
				report(analysis.Diagnostic{
					Pos:      d.pos,
					Category: CategoryNoReason,
					Message:  fmt.Sprintf("%s %s needs a reason after the pass name; it silences nothing until it has one", Prefix, strings.Join(d.passes, ",")),
				})
			case reportUnused && !d.used:
				report(analysis.Diagnostic{
					Pos:      d.pos,
					Category: CategoryUnused,
					Message:  fmt.Sprintf("%s %s silences no %s finding here; delete it", Prefix, strings.Join(d.passes, ","), name),
				})
			}
		}
	}
}

// parse returns the directive in comment c, or nil.
func parse(c *ast.Comment) *directive {
	rest, ok := strings.CutPrefix(c.Text, Prefix)
	if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
		return nil
	}
	if i := strings.Index(rest, "//"); i >= 0 {
		rest = rest[:i] // a comment after the directive is not its reason
	}
	fields := strings.Fields(rest)
	if len(fields) == 0 {
		return &directive{pos: c.Pos()}
	}
	return &directive{
		pos:    c.Pos(),
		passes: strings.Split(fields[0], ","),
		reason: strings.Join(fields[1:], " "),
	}
}

func names(d *directive, pass string) bool {
	for _, p := range d.passes {
		if p == pass || p == "all" {
			return true
		}
	}
	return false
}

// AddFlag declares the report-unused-ignores flag on a pass's flag set.
func AddFlag(fs *flag.FlagSet) {
	fs.Bool(FlagUnused, false, "report //leakvet:ignore directives for this pass that silence nothing")
}

// ReportUnused reads the pass's report-unused-ignores flag.
func ReportUnused(pass *analysis.Pass) bool {
	f := pass.Analyzer.Flags.Lookup(FlagUnused)
	if f == nil {
		return false
	}
	v, _ := f.Value.(flag.Getter).Get().(bool)
	return v
}
