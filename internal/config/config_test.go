package config

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func fakes() []*analysis.Analyzer {
	var as []*analysis.Analyzer
	for _, name := range []string{"a", "b", "c"} {
		a := &analysis.Analyzer{Name: name}
		a.Flags.Bool("opt", false, "an option")
		a.Flags.Int("n", 1, "a number")
		as = append(as, a)
	}
	return as
}

func TestSelect(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		s    Settings
		want string
	}{
		{Settings{}, "a,b,c"},
		{Settings{Enable: []string{"c", "a"}}, "a,c"},
		{Settings{Disable: []string{"b"}}, "a,c"},
		{Settings{Enable: []string{"a"}, Disable: []string{"b"}}, "a"}, // vet's rule: any true wins
	} {
		got, err := tc.s.Apply(fakes())
		if err != nil || strings.Join(Names(got), ",") != tc.want {
			t.Errorf("%+v: %v, %v; want %s", tc.s, Names(got), err, tc.want)
		}
	}
}

func TestOptions(t *testing.T) {
	t.Parallel()
	as := fakes()
	s := Settings{Options: map[string]map[string]any{"b": {"opt": true, "n": float64(3)}}}
	if _, err := s.Apply(as); err != nil {
		t.Fatal(err)
	}
	if as[1].Flags.Lookup("opt").Value.String() != "true" || as[1].Flags.Lookup("n").Value.String() != "3" {
		t.Errorf("options not set on b's flags")
	}
	if as[0].Flags.Lookup("opt").Value.String() != "false" {
		t.Errorf("option of b set on a")
	}
	s = Settings{Options: map[string]map[string]any{"b": {"n": 1.5, "x": 1}, "z": {}}}
	_, err := s.Apply(as)
	if err == nil {
		t.Fatal("bad settings accepted")
	}
	for _, want := range []string{`b has no option "x" (options: n, opt)`, `b.n: invalid value "1.5"`, `no pass named "z" (passes: a, b, c)`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
