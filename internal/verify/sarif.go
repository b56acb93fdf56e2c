package verify

import (
	"go/token"
	"io"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/report"
)

// runtimeLeakRule is the rule of the leaks no static finding predicted
// (missed): they have no pass of their own to be a rule of.
const runtimeLeakRule = "runtime-leak"

const runtimeLeakHelp = `runtime-leak: a goroutine leaked in a test and no leakvet pass predicted it

leakvet verify ran the package's tests with leak checking, and this
goroutine was still blocked when they ended: "proven" when the garbage
collector showed that nothing can ever wake it (the tests are built with
GOEXPERIMENT=goroutineleakprofile), "suspected" when it was still blocked
after a grace period, which a goroutine that is merely slow to finish can
be too. No static finding is at the operation it blocks at or at the go
statement that started it.

Give the goroutine a way to finish (a cancelled context, a closed or
buffered channel, a stopped timer), as for any leak. If a pass should have
reported it, please report the code at
https://github.com/leakvet/leakvet/issues.

Run 'leakvet verify -h' for how verify runs the tests.
`

// runtimeLeakSARIFRule is the rule of the missed leaks.
func runtimeLeakSARIFRule() report.Rule {
	return report.Rule{
		ID:               runtimeLeakRule,
		ShortDescription: "a goroutine leaked in a test and no static finding predicted it",
		FullDescription:  "runtime-leak: a goroutine that the tests left blocked where no leakvet pass reports a leak",
		Help:             runtimeLeakHelp,
		Tags:             []string{"leakvet", "verify", "reliability"},
	}
}

// writeSARIF writes the report as a SARIF 2.1.0 log. The static
// findings are the results of the normal run's SARIF (same rules,
// locations and fingerprints, so that code scanning sees one alert
// whichever of the two uploaded it) with the verification added to their
// properties; each missed leak is a result of rule runtime-leak, located
// at its blocking frame.
func writeSARIF(w io.Writer, passes []*analysis.Analyzer, r *Report, root string) error {
	static := make([]*report.Finding, len(r.Findings))
	for i, f := range r.Findings {
		static[i] = f.static
	}
	log := report.NewSARIF(passes, static, root)
	for i, f := range r.Findings {
		if f.Status == StatusConfirmed {
			// Whatever the level of the static finding: a test made it leak.
			log.SetLevel(i, "error")
		}
		log.AddProperties(i, map[string]any{
			"leakvet/verify":        f.Status,
			"leakvet/verifyByArch":  f.ByArch,
			"leakvet/runtimeLeaks":  len(f.Leaks),
			"leakvet/architectures": r.Ran,
		})
	}

	var missed []report.Result
	for _, g := range r.Missed {
		missed = append(missed, report.Result{
			Message: r.describe(g),
			Pos:     token.Position{Filename: g.blockingFile, Line: g.Blocking.Line},
			Related: []report.Related{{
				Pos:     token.Position{Filename: g.createdByFile, Line: g.CreatedBy.Line},
				Message: "the goroutine is started here",
			}},
			// A leak's functions, unlike its lines, survive unrelated edits.
			Key: report.Key{Pass: runtimeLeakRule, Category: g.State, Function: g.Blocking.Function, Message: "started by " + g.CreatedBy.Function},
			Properties: map[string]any{
				"function":              g.Blocking.Function,
				"leakvet/verify":        StatusMissed,
				"leakvet/proven":        g.Proven,
				"leakvet/state":         g.State,
				"leakvet/architectures": g.Archs,
			},
		})
	}
	log.AddRule(runtimeLeakSARIFRule(), missed)
	return log.Encode(w)
}
