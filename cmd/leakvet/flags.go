package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/tools/go/analysis"
)

// options are the parsed flags of one standalone invocation.
type options struct {
	json    bool
	context int  // -c: lines of context around a finding, -1 for none
	tests   bool // -test: analyze test files too
	fix     bool
	diff    bool
	debug   bool
	version bool

	enabled map[*analysis.Analyzer]*triState // -NAME
	flags   *flag.FlagSet                    // nil for the defaults of plain 'leakvet'
}

func defaultOptions() *options {
	return &options{context: -1, tests: true}
}

// errHelp is returned by parseFlags for -h and -help.
var errHelp = flag.ErrHelp

// parseFlags parses args with a FlagSet of leakvet's own: the core flags,
// -NAME for each pass and -NAME.FLAG for each flag of a pass (the Value is
// the pass's own, so setting it configures the pass). The returned options
// are usable for printing usage even when err is not nil.
func (c *command) parseFlags(args []string) (*options, error) {
	opts := defaultOptions()
	fs := flag.NewFlagSet("leakvet", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed by run, usage by help
	opts.flags = fs

	fs.BoolVar(&opts.json, "json", false, "print findings as JSON on stdout, in the schema of go vet -json")
	fs.IntVar(&opts.context, "c", -1, "print each finding's source line with `N` lines of context around it")
	fs.BoolVar(&opts.tests, "test", true, "analyze test files too")
	fs.BoolVar(&opts.fix, "fix", false, "apply the suggested fixes of the findings to the files")
	fs.BoolVar(&opts.diff, "diff", false, "print the suggested fixes as a unified diff instead of applying them (implies -fix)")
	fs.BoolVar(&opts.debug, "debug", false, "print the stack of an internal error or analyzer panic (also $"+debugEnv+"=1)")
	fs.Var(versionFlag{&opts.version}, "V", "print leakvet's version (-V=full is go vet's handshake)")
	fs.Bool("flags", false, "print the flags as JSON, for go vet")

	opts.enabled = make(map[*analysis.Analyzer]*triState)
	for _, a := range c.analyzers {
		enable := new(triState)
		opts.enabled[a] = enable
		fs.Var(enable, a.Name, fmt.Sprintf("run the %s pass (see 'Passes' below)", a.Name))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
		})
	}

	err := fs.Parse(args)
	if err == nil && opts.json && (opts.fix || opts.diff) {
		err = errors.New("-json cannot be combined with -fix or -diff")
	}
	if err == nil && opts.context < -1 {
		err = fmt.Errorf("invalid value %d for flag -c: want N >= 0", opts.context)
	}
	return opts, err
}

// selected returns the passes to run, by vet's rule for the -NAME flags:
// if any is set to true, only those run; otherwise every pass not set to
// false runs.
func (o *options) selected(all []*analysis.Analyzer) []*analysis.Analyzer {
	var anyTrue bool
	for _, a := range all {
		if o.enabled != nil && *o.enabled[a] == setTrue {
			anyTrue = true
		}
	}
	var keep []*analysis.Analyzer
	for _, a := range all {
		state := unset
		if o.enabled != nil {
			state = *o.enabled[a]
		}
		if anyTrue && state == setTrue || !anyTrue && state != setFalse {
			keep = append(keep, a)
		}
	}
	return keep
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
// vet's handshake, never reaches it (isVetProtocol routes it to
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
