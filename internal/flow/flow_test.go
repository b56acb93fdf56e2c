package flow_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/leakvet/leakvet/internal/flow"
)

// TestPrefilter checks that packages with no acquire API, goroutine or
// channel are skipped before SSA is built, and that an acquire reachable only through another
// package's result type is still scanned.
func TestPrefilter(t *testing.T) {
	t.Parallel()
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pkg       string
		skipped   bool
		wantSites int
	}{
		{"flow/skipped", true, 0},
		{"flow/chans", false, 0},
		{"flow/scanned", false, 1},
		{"flow/dep", false, 1},
	} {
		results := analysistest.Run(t, testdata, flow.Analyzer, tc.pkg)
		if len(results) != 1 {
			t.Fatalf("%s: %d results", tc.pkg, len(results))
		}
		res := results[0].Result.(*flow.Result)
		if res.Stats.Skipped != tc.skipped || len(res.Sites) != tc.wantSites {
			t.Errorf("%s: skipped=%v sites=%d, want skipped=%v sites=%d",
				tc.pkg, res.Stats.Skipped, len(res.Sites), tc.skipped, tc.wantSites)
		}
	}
}
