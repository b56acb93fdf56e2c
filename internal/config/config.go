// Package config is the one place that turns a user's choice of passes and
// pass options into analyzer configuration, for every driver that takes
// options: the leakvet command's -NAME and -NAME.FLAG flags and the
// golangci-lint plugin's settings. Pass options are the flags each pass
// declares on its Analyzer.Flags; both drivers set those same flag values,
// so a pass reads its options one way whoever runs it.
package config

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Select returns the passes of all to run, by vet's rule: if any pass is
// explicitly enabled, only the enabled ones run; otherwise every pass not
// explicitly disabled runs. enabled maps a pass to true (enabled) or false
// (disabled); passes absent from it are unset. Order is kept.
func Select(all []*analysis.Analyzer, enabled map[*analysis.Analyzer]bool) []*analysis.Analyzer {
	anyTrue := false
	for _, a := range all {
		if on, ok := enabled[a]; ok && on {
			anyTrue = true
		}
	}
	var keep []*analysis.Analyzer
	for _, a := range all {
		on, set := enabled[a]
		if anyTrue && set && on || !anyTrue && (!set || on) {
			keep = append(keep, a)
		}
	}
	return keep
}

// SetOption sets the pass option (flag) name of a to value, given as it is
// decoded from YAML or JSON: a string, bool or number. The error names the
// pass and option as a user writes them (pass.option).
func SetOption(a *analysis.Analyzer, name string, value any) error {
	if a.Flags.Lookup(name) == nil {
		return fmt.Errorf("%s has no option %q (options: %s)", a.Name, name, optionList(a))
	}
	var s string
	switch v := value.(type) {
	case string:
		s = v
	case bool:
		s = strconv.FormatBool(v)
	case float64:
		s = strconv.FormatFloat(v, 'f', -1, 64)
	case int:
		s = strconv.Itoa(v)
	default:
		return fmt.Errorf("%s.%s: want a string, boolean or number, got %T", a.Name, name, value)
	}
	if err := a.Flags.Set(name, s); err != nil {
		return fmt.Errorf("%s.%s: invalid value %q: %v", a.Name, name, s, err)
	}
	return nil
}

func optionList(a *analysis.Analyzer) string {
	var names []string
	a.Flags.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// ByName returns the pass of all named name, or an error listing the
// passes there are.
func ByName(all []*analysis.Analyzer, name string) (*analysis.Analyzer, error) {
	for _, a := range all {
		if a.Name == name {
			return a, nil
		}
	}
	return nil, fmt.Errorf("no pass named %q (passes: %s)", name, strings.Join(Names(all), ", "))
}

// Names returns the names of the passes, in order.
func Names(all []*analysis.Analyzer) []string {
	var names []string
	for _, a := range all {
		names = append(names, a.Name)
	}
	return names
}

// Settings are the options of leakvet as golangci-lint's settings (or
// any other YAML or JSON configuration) give them: which passes run and
// each pass's options keyed by the pass's name.
//
//	enable: [ctxcancel]            # only these (default: every pass)
//	disable: [timerstop]           # all but these
//	options:
//	  ctxcancel:
//	    report-unused-ignores: true
type Settings struct {
	Enable  []string                  `json:"enable,omitempty"`
	Disable []string                  `json:"disable,omitempty"`
	Options map[string]map[string]any `json:"options,omitempty"`
}

// Apply checks s against all, sets the options it names on the passes'
// flags and returns the passes to run. Any unknown pass or option, a pass
// both enabled and disabled, or a bad value is an error: a typo in a
// configuration must not silently run something else.
func (s Settings) Apply(all []*analysis.Analyzer) ([]*analysis.Analyzer, error) {
	enabled := make(map[*analysis.Analyzer]bool)
	var errs []error
	mark := func(names []string, on bool) {
		for _, name := range names {
			a, err := ByName(all, name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if prev, ok := enabled[a]; ok && prev != on {
				errs = append(errs, fmt.Errorf("pass %s is both enabled and disabled", name))
			}
			enabled[a] = on
		}
	}
	mark(s.Enable, true)
	mark(s.Disable, false)
	passes := make([]string, 0, len(s.Options))
	for name := range s.Options {
		passes = append(passes, name)
	}
	slices.Sort(passes) // deterministic errors
	for _, name := range passes {
		a, err := ByName(all, name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		opts := s.Options[name]
		keys := make([]string, 0, len(opts))
		for k := range opts {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if err := SetOption(a, k, opts[k]); err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		msgs := make([]string, len(errs))
		for i, err := range errs {
			msgs[i] = err.Error()
		}
		return nil, errors.New(strings.Join(msgs, "; ")) // one line, as drivers print errors
	}
	return Select(all, enabled), nil
}
