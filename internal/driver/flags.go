package driver

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/config"
	"github.com/leakvet/leakvet/internal/report"
)

// Options are the parsed flags of one standalone invocation.
type Options struct {
	json   bool   // -json, the alias of -format=json
	format format // -format
	output string // -o: write the findings to this file instead of stdout

	baseline      string // -baseline: suppress the findings recorded in this file
	writeBaseline string // -write-baseline: record the findings in this file

	context int  // -c: lines of context around a finding, -1 for none
	tests   bool // -test: analyze test files too
	fix     bool
	diff    bool
	Debug   bool // -debug: print the stack of an internal error or analyzer panic
	Version bool // -V: print leakvet's version

	enabled map[*analysis.Analyzer]*triState // -NAME
	flags   *flag.FlagSet                    // nil for the defaults of plain 'leakvet'
}

// DefaultOptions returns the options of plain 'leakvet', which has no
// flags.
func DefaultOptions() *Options {
	return &Options{context: -1, tests: true, format: format{name: "text"}}
}

// Args returns the arguments left after the flags.
func (o *Options) Args() []string { return o.flags.Args() }

// NFlag returns the number of flags that were set.
func (o *Options) NFlag() int { return o.flags.NFlag() }

// A format is the value of -format, checked when set.
type format struct {
	name string
	set  bool
}

func (f *format) Set(value string) error {
	formats := report.Formats()
	if !slices.Contains(formats, value) {
		return fmt.Errorf("want %s or %s", strings.Join(formats[:len(formats)-1], ", "), formats[len(formats)-1])
	}
	f.name, f.set = value, true
	return nil
}

func (f *format) String() string {
	if f == nil || f.name == "" {
		return "text"
	}
	return f.name
}

// ParseFlags parses args with a FlagSet of leakvet's own: the core flags,
// -NAME for each pass and -NAME.FLAG for each flag of a pass (the Value is
// the pass's own, so setting it configures the pass). The returned options
// are usable for printing usage even when err is not nil, which is
// flag.ErrHelp for -h and -help.
func (c *Command) ParseFlags(args []string) (*Options, error) {
	opts := DefaultOptions()
	fs := flag.NewFlagSet("leakvet", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed by run, usage by help
	opts.flags = fs

	fs.Var(&opts.format, "format", "print findings as `FORMAT`: text (file:line:col: message), json (the schema of go vet -json),\n"+
		"sarif (SARIF 2.1.0 for GitHub code scanning and other SARIF viewers) or github\n"+
		"(GitHub Actions workflow commands: annotations on the pull request); default text")
	fs.BoolVar(&opts.json, "json", false, "the same as -format=json")
	fs.StringVar(&opts.output, "o", "", "write the findings to `FILE` instead of standard output (errors stay on standard error;\n"+
		"the exit status is the same)")
	fs.StringVar(&opts.baseline, "baseline", "", "do not report the findings recorded in `FILE` by -write-baseline (matched by pass,\n"+
		"category, enclosing function and message, not by line, so they survive edits; each\n"+
		"recorded finding covers one, so a second identical finding is new)")
	fs.StringVar(&opts.writeBaseline, "write-baseline", "", "record the current findings in `FILE` (JSON) for -baseline, instead of printing them;\n"+
		"exit 0 unless a package fails")
	fs.IntVar(&opts.context, "c", -1, "print each finding's source line with `N` lines of context around it")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes of the findings to the files")
	fs.BoolVar(&opts.diff, "diff", false, "print the suggested fixes as a unified diff instead of applying them (implies -fix)")
	fs.BoolVar(&opts.Debug, "debug", false, "print the stack of an internal error or analyzer panic (also $"+DebugEnv+"=1)")
	fs.Var(versionFlag{&opts.Version}, "V", "print leakvet's version (-V=full is go vet's handshake)")
	fs.Bool("flags", false, "print the flags as JSON, for go vet")

	opts.enabled = make(map[*analysis.Analyzer]*triState)
	for _, a := range c.Analyzers {
		enable := new(triState)
		opts.enabled[a] = enable
		fs.Var(enable, a.Name, fmt.Sprintf("run the %s pass (see 'Passes' below)", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}

	err := fs.Parse(args)
	if err == nil {
		err = opts.check()
	}
	if err == nil && opts.context < -1 {
		err = fmt.Errorf("invalid value %d for flag -c: want N >= 0", opts.context)
	}
	return opts, err
}

// check rejects combinations of flags that cannot mean anything.
func (o *Options) check() error {
	if o.json {
		if o.format.set && o.format.name != "json" {
			return fmt.Errorf("-json is -format=json: it cannot be combined with -format=%s", o.format.name)
		}
		o.format.name = "json"
	}
	if o.fix || o.diff {
		for _, c := range []struct {
			set  bool
			flag string
		}{
			{o.json, "-json"},
			{o.format.set && o.format.name != "text", "-format=" + o.format.name},
			{o.output != "", "-o"},
			{o.baseline != "", "-baseline"},
			{o.writeBaseline != "", "-write-baseline"},
		} {
			if c.set {
				return fmt.Errorf("%s cannot be combined with -fix or -diff", c.flag)
			}
		}
	}
	if o.writeBaseline != "" && o.output != "" {
		return errors.New("-write-baseline prints no findings: it cannot be combined with -o")
	}
	return nil
}

// selected returns the passes to run, by vet's rule for the -NAME flags
// (config.Select, which the golangci-lint plugin's enable and disable
// settings use too): if any is set to true, only those run; otherwise
// every pass not set to false runs.
func (o *Options) selected(all []*analysis.Analyzer) []*analysis.Analyzer {
	enabled := make(map[*analysis.Analyzer]bool)
	for a, state := range o.enabled {
		if *state != unset {
			enabled[a] = *state == setTrue
		}
	}
	return config.Select(all, enabled)
}

// A triState is a boolean flag that knows whether it was set, so that
// -ctxcancel (run only this) differs from not mentioning it. It accepts the
// same syntax as a bool flag, as vet's and multichecker's -NAME flags do.
type triState int

const (
	unset triState = iota
	setTrue
	setFalse
)

func (ts *triState) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return errors.New("want true or false")
	}
	if b {
		*ts = setTrue
	} else {
		*ts = setFalse
	}
	return nil
}

func (ts *triState) String() string {
	if ts != nil && *ts == setFalse {
		return "false"
	}
	return "true"
}

func (ts *triState) IsBoolFlag() bool { return true }

// versionFlag is -V: a bool flag that prints the version. -V=full, go
// vet's handshake, never reaches it (IsVetProtocol routes it to
// multichecker first).
type versionFlag struct{ set *bool }

func (v versionFlag) Set(value string) error {
	b, err := strconv.ParseBool(value)
	if err != nil {
		return errors.New("want -V (or -V=full, as go vet asks)")
	}
	*v.set = b
	return nil
}

func (v versionFlag) String() string   { return "false" }
func (v versionFlag) IsBoolFlag() bool { return true }
