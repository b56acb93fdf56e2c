package driver

import (
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestMulticheckerArgs(t *testing.T) {
	t.Parallel()
	knob := new(string)
	a := &analysis.Analyzer{Name: "p", Doc: "p: pass", Run: func(*analysis.Pass) (any, error) { return nil, nil }}
	a.Flags.StringVar(knob, "knob", "", "a knob")
	c := &Command{Analyzers: []*analysis.Analyzer{a}}
	opts, err := c.ParseFlags([]string{"-diff", "-test=false", "-p=false", "-p.knob=on", "-c=3", "./..."})
	if err != nil {
		t.Fatal(err)
	}
	got := multicheckerArgs(opts, opts.flags.Args())
	want := []string{"-fix", "-diff", "-test=false", "-p=false", "-p.knob=on", "--", "./..."}
	if !slices.Equal(got, want) {
		t.Errorf("multicheckerArgs = %q, want %q", got, want)
	}
	if *knob != "on" {
		t.Errorf("-p.knob did not set the pass's flag")
	}
}
