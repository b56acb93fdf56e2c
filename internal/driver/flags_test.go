package driver

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestSelected(t *testing.T) {
	t.Parallel()
	var all []*analysis.Analyzer
	for _, name := range []string{"p1", "p2", "p3"} {
		all = append(all, &analysis.Analyzer{Name: name, Doc: name + ": x"})
	}
	c := &Command{Analyzers: all}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "p1 p2 p3"},
		{[]string{"-p2"}, "p2"},
		{[]string{"-p1", "-p3=true"}, "p1 p3"},
		{[]string{"-p2=false"}, "p1 p3"},
		{[]string{"-p1", "-p2=false"}, "p1"},
	} {
		opts, err := c.ParseFlags(tc.args)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range opts.selected(all) {
			names = append(names, a.Name)
		}
		if got := strings.Join(names, " "); got != tc.want {
			t.Errorf("%q selects %q, want %q", tc.args, got, tc.want)
		}
	}
}
