package dump

import (
	"fmt"
	"go/token"
	"io"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/report"
)

// goroutinesRule is the rule of the groups a dump shows.
const goroutinesRule = "dump-goroutines"

const goroutinesHelp = `dump-goroutines: goroutines that a production dump shows blocked

leakvet dump read a goroutine dump or profile of a running program and
grouped its goroutines by where they block, their wait reason and the go
statement that started them. A group is a result when it is evidence of a
leak: a leakvet finding predicted it (its properties and related locations
name the finding), it grew between two snapshots, or the goroutineleak
profile proved its goroutines leaked.

Give the goroutines a way to finish (a cancelled context, a closed or
buffered channel, a stopped timer). Run 'leakvet help dump' for how groups
are joined to findings.
`

// writeSARIF writes the report as a SARIF 2.1.0 log: the rules of the
// passes (as the normal run lists them, without their findings) and one
// result of rule dump-goroutines per listed group that is predicted,
// growing or proven leaked, located at its blocking frame, with the go
// statement and the predicting findings as related locations.
func writeSARIF(w io.Writer, passes []*analysis.Analyzer, r *Report, root string) error {
	log := report.NewSARIF(passes, nil, root)
	j := &joiner{modRel: make(map[string]string)}
	var results []report.Result
	for _, g := range r.Groups {
		growing := g.Diff != nil && g.Diff.Growth > 0
		if g.Label != LabelPredicted && !growing && !g.Proven {
			continue
		}
		// A dump names files on the machine that built the binary: where
		// a predicting finding's file is the same, name the local one.
		var local []string
		for _, i := range g.Findings {
			f := r.Findings[i].static
			local = append(local, f.Pos.Filename)
			for _, rel := range f.Related {
				local = append(local, rel.Pos.Filename)
			}
		}
		localize := func(file string) string {
			for _, l := range local {
				if j.sameFile(file, l) {
					return l
				}
			}
			return file
		}
		var related []report.Related
		if g.CreatedBy != nil {
			related = append(related, report.Related{
				Pos:     token.Position{Filename: localize(g.CreatedBy.File), Line: g.CreatedBy.Line},
				Message: "the goroutines are started here",
			})
		}
		var predictedBy []string
		for _, i := range g.Findings {
			f := r.Findings[i]
			predictedBy = append(predictedBy, f.Pass)
			related = append(related, report.Related{Pos: f.static.Pos, Message: fmt.Sprintf("predicted by %s: %s", f.Pass, f.Message)})
		}
		blockingFile := localize(g.Blocking.File)
		props := map[string]any{
			"function":          g.Blocking.Function,
			"leakvet/count":     g.Count,
			"leakvet/state":     g.State,
			"leakvet/proven":    g.Proven,
			"leakvet/dumpFile":  g.Blocking.File,
			"leakvet/dumpLabel": g.Label,
		}
		if g.Diff != nil {
			props["leakvet/before"] = g.Diff.Before
			props["leakvet/growth"] = g.Diff.Growth
		}
		if len(predictedBy) > 0 {
			props["leakvet/predictedBy"] = predictedBy
		}
		createdBy := ""
		if g.CreatedBy != nil {
			createdBy = g.CreatedBy.Function
		}
		results = append(results, report.Result{
			Message: g.describe(),
			Pos:     token.Position{Filename: blockingFile, Line: g.Blocking.Line},
			Related: related,
			// Functions, unlike lines, survive unrelated edits.
			Key:        report.Key{Pass: goroutinesRule, Category: g.State, Function: g.Blocking.Function, Message: "started by " + createdBy},
			Properties: props,
		})
	}
	log.AddRule(report.Rule{
		ID:               goroutinesRule,
		ShortDescription: "goroutines that a production dump shows blocked",
		FullDescription:  "dump-goroutines: a group of goroutines of a goroutine dump that a finding predicted, that grew, or that were proven leaked",
		Help:             goroutinesHelp,
		Tags:             []string{"leakvet", "dump", "reliability"},
	}, results)
	return log.Encode(w)
}

// describe says, in a sentence, what a group is.
func (g *Group) describe() string {
	what := fmt.Sprintf("%d goroutines", g.Count)
	if g.Count == 1 {
		what = "1 goroutine"
	}
	s := fmt.Sprintf("%s [%s] blocked at %s", what, g.stateText(), g.Blocking.short())
	if g.CreatedBy != nil {
		s += ", started at " + g.CreatedBy.position()
	}
	if d := g.Diff; d != nil && d.Growth > 0 {
		s += fmt.Sprintf(", grew by %d (from %d)", d.Growth, d.Before)
	}
	if g.Label != "" {
		s += "; " + g.Label
	}
	return s
}
