package main

import (
	"go/token"
	"io"

	"golang.org/x/tools/go/analysis"
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

func runtimeLeakSARIFRule() sarifRule {
	return sarifRule{
		ID:                   runtimeLeakRule,
		Name:                 ruleName(runtimeLeakRule),
		ShortDescription:     sarifText{"a goroutine leaked in a test and no static finding predicted it"},
		FullDescription:      sarifText{"runtime-leak: a goroutine that the tests left blocked where no leakvet pass reports a leak"},
		Help:                 sarifText{runtimeLeakHelp},
		DefaultConfiguration: sarifRuleConfig{sarifLevel},
		Properties:           sarifRuleProperty{Tags: []string{"leakvet", "verify", "reliability"}, Precision: "high"},
	}
}

// writeVerifySARIF writes the report as a SARIF 2.1.0 log. The static
// findings are the results of the normal run's SARIF (same rules,
// locations and fingerprints, so that code scanning sees one alert
// whichever of the two uploaded it) with the verification added to their
// properties; each missed leak is a result of rule runtime-leak, located
// at its blocking frame.
func (c *command) writeVerifySARIF(w io.Writer, passes []*analysis.Analyzer, r *verifyReport, root string) error {
	static := make([]*finding, len(r.Findings))
	for i, f := range r.Findings {
		static[i] = f.static
	}
	run := c.sarifRun(passes, static, root)
	for i, f := range r.Findings {
		res := &run.Results[i]
		if f.Status == statusConfirmed {
			// Whatever the level of the static finding: a test made it leak.
			res.Level = "error"
		}
		res.Properties["leakvet/verify"] = f.Status
		res.Properties["leakvet/verifyByArch"] = f.ByArch
		res.Properties["leakvet/runtimeLeaks"] = len(f.Leaks)
		res.Properties["leakvet/architectures"] = r.Ran
	}

	ruleIndex := len(run.Tool.Driver.Rules)
	run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, runtimeLeakSARIFRule())
	// A leak's functions, unlike its lines, survive unrelated edits.
	keys := make([]findingKey, len(r.Missed))
	for i, g := range r.Missed {
		keys[i] = findingKey{Pass: runtimeLeakRule, Category: g.State, Function: g.Blocking.Function, Message: "started by " + g.CreatedBy.Function}
	}
	prints := fingerprints(keys)
	cols := newColumnCache()
	for i, g := range r.Missed {
		blocking := token.Position{Filename: g.blockingFile, Line: g.Blocking.Line}
		createdBy := token.Position{Filename: g.createdByFile, Line: g.CreatedBy.Line}
		related := 1
		run.Results = append(run.Results, sarifResult{
			RuleID:    runtimeLeakRule,
			RuleIndex: ruleIndex,
			Level:     sarifLevel,
			Message:   sarifText{r.describe(g)},
			Locations: []sarifLocation{{PhysicalLocation: physical(root, blocking, blocking, cols)}},
			RelatedLocations: []sarifLocation{{
				ID:               &related,
				PhysicalLocation: physical(root, createdBy, createdBy, cols),
				Message:          &sarifText{"the goroutine is started here"},
			}},
			PartialFingerprints: map[string]string{fingerprintKey: prints[i]},
			Properties: map[string]any{
				"function":              g.Blocking.Function,
				"leakvet/verify":        statusMissed,
				"leakvet/proven":        g.Proven,
				"leakvet/state":         g.State,
				"leakvet/architectures": g.Archs,
			},
		})
	}
	return encodeSARIF(w, run)
}
