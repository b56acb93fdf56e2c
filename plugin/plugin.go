// Package plugin is leakvet's golangci-lint v2 module plugin.
//
// Importing it registers, with github.com/golangci/plugin-module-register:
//
//   - "leakvet": every pass of leakvet.Analyzers(), as one golangci-lint
//     linter (so //nolint:leakvet silences any of them);
//   - "leakvet-NAME" for each pass NAME (leakvet-ctxcancel, ...): that pass
//     alone, as a linter of its own, for configurations that enable,
//     exclude or //nolint passes one by one (golangci-lint's nolint
//     directives, exclusion rules and SARIF output are per linter).
//
// Use one or the other, not both: a pass enabled twice reports twice.
//
// Settings of "leakvet" choose the passes and set their options; each
// option is the flag the pass declares, the one `leakvet -NAME.FLAG` sets:
//
//	settings:
//	  disable: [timerstop]       # or enable: [ctxcancel] to run only those
//	  ctxcancel:                 # options of a pass, keyed by its name
//	    report-unused-ignores: true
//
// Settings of "leakvet-NAME" are that pass's options alone:
//
//	settings:
//	  report-unused-ignores: true
//
// An unknown pass or option, or a bad value, is an error when golangci-lint
// starts: a typo must not silently lint with other settings. Options are
// set on the analyzers' own flags, which are process-wide: golangci-lint
// runs one configuration per process, so "leakvet" and "leakvet-NAME"
// (which should not be enabled together anyway) must not set one option
// two ways.
package plugin

import (
	"fmt"
	"slices"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/config"
)

// Name is the plugin name of all passes; each pass is also registered as
// Name+"-"+pass.
const Name = "leakvet"

func init() {
	register.Plugin(Name, New)
	for _, a := range leakvet.Analyzers() {
		register.Plugin(Name+"-"+a.Name, func(conf any) (register.LinterPlugin, error) {
			return newSingle(a.Name, conf)
		})
	}
}

// Plugin is a configured set of leakvet passes.
type Plugin struct {
	analyzers []*analysis.Analyzer
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New configures the "leakvet" plugin from golangci-lint's settings.
func New(conf any) (register.LinterPlugin, error) {
	raw, err := register.DecodeSettings[map[string]any](conf)
	if err != nil {
		return nil, fmt.Errorf("leakvet settings: %v", err)
	}
	var s config.Settings
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	all := leakvet.Analyzers()
	for _, k := range keys {
		v := raw[k]
		switch k {
		case "enable", "disable":
			names, err := stringList(v)
			if err != nil {
				return nil, fmt.Errorf("leakvet settings: %s: %v", k, err)
			}
			if k == "enable" {
				s.Enable = names
			} else {
				s.Disable = names
			}
		default:
			if _, err := config.ByName(all, k); err != nil {
				return nil, fmt.Errorf("leakvet settings: unknown key %q: want enable, disable or the name of a pass (%v)", k, err)
			}
			opts, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("leakvet settings: %s: want a map of the pass's options, got %s", k, describe(v))
			}
			if s.Options == nil {
				s.Options = make(map[string]map[string]any)
			}
			s.Options[k] = opts
		}
	}
	selected, err := s.Apply(all)
	if err != nil {
		return nil, fmt.Errorf("leakvet settings: %v", err)
	}
	return &Plugin{analyzers: selected}, nil
}

// newSingle configures the "leakvet-NAME" plugin: its settings are the
// options of the pass NAME.
func newSingle(name string, conf any) (register.LinterPlugin, error) {
	raw, err := register.DecodeSettings[map[string]any](conf)
	if err != nil {
		return nil, fmt.Errorf("%s-%s settings: %v", Name, name, err)
	}
	s := config.Settings{Enable: []string{name}}
	if len(raw) > 0 {
		s.Options = map[string]map[string]any{name: raw}
	}
	selected, err := s.Apply(leakvet.Analyzers())
	if err != nil {
		return nil, fmt.Errorf("%s-%s settings: %v", Name, name, err)
	}
	return &Plugin{analyzers: selected}, nil
}

// BuildAnalyzers returns the selected passes: the plain analyzers every
// driver runs, configured through their flags.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return slices.Clone(p.analyzers), nil
}

// GetLoadMode asks for type information: the passes need types and SSA.
func (p *Plugin) GetLoadMode() string { return register.LoadModeTypesInfo }

func stringList(v any) ([]string, error) {
	items, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a list of pass names, got %s", describe(v))
	}
	var out []string
	for _, item := range items {
		s, ok := item.(string)
		if !ok {
			return nil, fmt.Errorf("want a list of pass names, got an item %s", describe(item))
		}
		out = append(out, s)
	}
	return out, nil
}

// describe names the YAML kind of a decoded value.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "nothing"
	case string:
		return fmt.Sprintf("the string %q", v)
	case bool:
		return fmt.Sprintf("the boolean %v", v)
	case float64:
		return fmt.Sprintf("the number %v", v)
	case []any:
		return "a list"
	case map[string]any:
		return "a map"
	}
	return fmt.Sprintf("%T", v)
}
