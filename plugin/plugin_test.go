package plugin_test

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/suppress"
	"github.com/leakvet/leakvet/plugin"
)

// build loads the plugin name as golangci-lint does and returns its
// analyzers.
func build(t *testing.T, name string, settings any) ([]*analysis.Analyzer, error) {
	t.Helper()
	newPlugin, err := register.GetPlugin(name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(settings)
	if err != nil {
		return nil, err
	}
	if mode := p.GetLoadMode(); mode != register.LoadModeTypesInfo {
		t.Errorf("%s: load mode %q, want %q", name, mode, register.LoadModeTypesInfo)
	}
	return p.BuildAnalyzers()
}

func names(as []*analysis.Analyzer) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Name)
	}
	return strings.Join(out, ",")
}

func TestAllPasses(t *testing.T) {
	all := leakvet.Analyzers()
	for _, settings := range []any{nil, map[string]any{}} {
		got, err := build(t, plugin.Name, settings)
		if err != nil {
			t.Fatal(err)
		}
		if names(got) != names(all) {
			t.Errorf("settings %v: passes %s, want %s", settings, names(got), names(all))
		}
		for i := range got {
			if got[i] != all[i] {
				t.Errorf("pass %s is not leakvet's analyzer value", got[i].Name)
			}
		}
	}
}

func TestOnePassPlugins(t *testing.T) {
	for _, a := range leakvet.Analyzers() {
		got, err := build(t, plugin.Name+"-"+a.Name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != a {
			t.Errorf("plugin %s-%s: passes %s", plugin.Name, a.Name, names(got))
		}
	}
}

func TestEnableDisable(t *testing.T) {
	all := leakvet.Analyzers()
	first, rest := all[0], all[1:]
	got, err := build(t, plugin.Name, map[string]any{"enable": []any{first.Name}})
	if err != nil || names(got) != first.Name {
		t.Errorf("enable [%s]: %s, %v", first.Name, names(got), err)
	}
	got, err = build(t, plugin.Name, map[string]any{"disable": []string{first.Name}})
	if err != nil || names(got) != names(rest) {
		t.Errorf("disable [%s]: %s, %v; want %s", first.Name, names(got), err, names(rest))
	}
}

// TestOptions checks settings reach the flags the passes read, the same
// ones 'leakvet -NAME.FLAG' sets. (Not parallel: the flags are the
// analyzers' own.)
func TestOptions(t *testing.T) {
	for _, a := range leakvet.Analyzers() {
		f := a.Flags.Lookup(suppress.FlagUnused)
		if f == nil {
			t.Fatalf("%s has no -%s flag", a.Name, suppress.FlagUnused)
		}
		t.Cleanup(func() { f.Value.Set(f.DefValue) })
		if _, err := build(t, plugin.Name, map[string]any{a.Name: map[string]any{suppress.FlagUnused: true}}); err != nil {
			t.Fatal(err)
		}
		if f.Value.String() != "true" {
			t.Errorf("%s.%s = %s after settings set it", a.Name, f.Name, f.Value)
		}
		f.Value.Set(f.DefValue)
		if _, err := build(t, plugin.Name+"-"+a.Name, map[string]any{suppress.FlagUnused: "true"}); err != nil {
			t.Fatal(err)
		}
		if f.Value.String() != "true" {
			t.Errorf("plugin %s-%s: %s = %s after settings set it", plugin.Name, a.Name, f.Name, f.Value)
		}
	}
}

func TestBadSettings(t *testing.T) {
	first := leakvet.Analyzers()[0].Name
	for _, tc := range []struct {
		plugin   string
		settings any
		want     string
	}{
		{plugin.Name, map[string]any{"enabled": []any{first}}, `unknown key "enabled"`},
		{plugin.Name, map[string]any{"enable": []any{"nosuch"}}, `no pass named "nosuch" (passes: ` + first},
		{plugin.Name, map[string]any{"enable": first}, "enable: want a list of pass names"},
		{plugin.Name, map[string]any{"enable": []any{first}, "disable": []any{first}}, "both enabled and disabled"},
		{plugin.Name, map[string]any{first: true}, "want a map of the pass's options"},
		{plugin.Name, map[string]any{first: map[string]any{"nosuch": 1}}, `has no option "nosuch"`},
		{plugin.Name, map[string]any{first: map[string]any{suppress.FlagUnused: "maybe"}}, `invalid value "maybe"`},
		{plugin.Name, map[string]any{first: map[string]any{suppress.FlagUnused: []any{}}}, "want a string, boolean or number"},
		{plugin.Name, "not a map", "leakvet settings: decoding settings"},
		{plugin.Name + "-" + first, map[string]any{"nosuch": 1}, `has no option "nosuch"`},
	} {
		_, err := build(t, tc.plugin, tc.settings)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("plugin %s settings %v: error %v, want one line with %q", tc.plugin, tc.settings, err, tc.want)
		}
	}
}
