package driver

import (
	"flag"
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/report"
)

const intro = `leakvet finds goroutine leaks and resource lifecycle bugs in Go code:
obligations that some path through a function never discharges, such as the
receive a goroutine's send waits for, a context's cancel function, a
ticker's Stop or a WaitGroup's Done. A finding comes with the path that
leaks; where leakvet cannot see (unknown callees, values escaping to other
code), it says nothing rather than guess.

Usage:

  leakvet [flags] packages...     analyze packages, e.g. 'leakvet ./...'
  go vet -vettool=$(command -v leakvet) [flags] packages...
                                  run the same passes under go vet
  leakvet                         show what it reports on a built-in example
  leakvet verify [flags] [pkgs]   run the tests with leak checking (amd64, and
                                  arm64 under qemu with -arch amd64,arm64) and
                                  confirm the findings; 'leakvet help verify'
  leakvet dump [flags] SOURCE [SOURCE2]
                                  group a production goroutine dump or profile
                                  (file, - or URL), diff two, join them to the
                                  findings with -src; 'leakvet help dump'
  leakvet help [pass]             this text, or the documentation of a pass
  leakvet version                 print leakvet's version

Packages are go/packages patterns, as for go build and go vet. Findings are
printed on standard output (or the -o file) as file:line:col: message, or
in the -format asked for; errors on standard error as one 'leakvet: ...'
line each. Build tags and other build flags come from $GOFLAGS (e.g.
GOFLAGS=-tags=integration).
`

const exitStatus = `Exit status:

  0  no findings, or none that -baseline does not cover (with -fix or
     -diff: every fix applied or shown; with -write-baseline: recorded)
  1  findings reported, in every -format and with -o alike (note that
     go vet -json exits 0 with findings); with -fix or -diff: some fixes
     could not be applied (run it again)
  2  leakvet could not do its job: a bad flag, a package that does not load
     or type-check, a pattern that matches no packages, a pass that failed,
     an -o file it cannot write, a -baseline file it cannot read

Under go vet, the go command prints the findings and sets the exit status,
and -format, -o and the baseline flags do not exist: go vet has its own
-json, and leakvet's other formats are the standalone driver's.
`

// Usage prints the full help text on Stdout: what leakvet is, how to run
// it, its flags (those of opts, from ParseFlags), its passes and its exit
// codes.
func (c *Command) Usage(opts *Options) {
	w := c.Stdout
	fmt.Fprint(w, intro)

	fmt.Fprintln(w, "\nFlags:")
	fmt.Fprintln(w)
	core := flag.NewFlagSet("", flag.ContinueOnError)
	passFlag := make(map[string]bool)
	for _, a := range c.Analyzers {
		passFlag[a.Name] = true
	}
	opts.flags.VisitAll(func(f *flag.Flag) {
		if !passFlag[f.Name] && !strings.Contains(f.Name, ".") {
			core.Var(f.Value, f.Name, f.Usage)
		}
	})
	core.SetOutput(w)
	core.PrintDefaults()

	fmt.Fprintln(w, "\nPasses:")
	fmt.Fprintln(w)
	for _, a := range c.Analyzers {
		fmt.Fprintf(w, "  %-12s %s\n", a.Name, report.Summary(a))
		a.Flags.VisitAll(func(f *flag.Flag) {
			fmt.Fprintf(w, "  %-12s   -%s.%s: %s\n", "", a.Name, f.Name, f.Usage)
		})
	}
	fmt.Fprint(w, `
Every pass runs by default. -NAME runs only the passes named that way;
-NAME=false runs all but those. A pass's own flags are set as -NAME.FLAG.
'leakvet help NAME' prints the documentation of the pass NAME.

`)
	fmt.Fprint(w, exitStatus)
	fmt.Fprintf(w, "\nSet %s=1 to see the stack of an internal error or analyzer panic\n(including under go vet).\n", DebugEnv)
}

// Help implements 'leakvet help [pass...]' for the passes: the full help
// text, or the documentation of each pass named. ('leakvet help verify' is
// verify's.)
func (c *Command) Help(opts *Options, names []string) int {
	if len(names) == 0 {
		c.Usage(opts)
		return ExitClean
	}
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range c.Analyzers {
		byName[a.Name] = a
	}
	var unknown []string
	for _, name := range names {
		if byName[name] == nil {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		var known []string
		for _, a := range c.Analyzers {
			known = append(known, a.Name)
		}
		for _, name := range unknown {
			c.Errorf("no pass named %q (passes: %s)", name, strings.Join(known, ", "))
		}
		return ExitFailure
	}
	for i, name := range names {
		if i > 0 {
			fmt.Fprintln(c.Stdout)
		}
		report.Describe(c.Stdout, byName[name])
	}
	return ExitClean
}

// Version names the module version of the binary, as recorded by the
// go command: a release tag when installed with go install ...@vX.Y.Z, a
// pseudo-version or "(devel)" when built in a work tree.
func Version() string {
	version := "(unknown)"
	var extra []string
	if info, ok := debug.ReadBuildInfo(); ok {
		version = info.Main.Version
		for _, s := range info.Settings {
			switch {
			case s.Key == "vcs.revision" && len(s.Value) >= 12:
				extra = append(extra, "revision "+s.Value[:12])
			case s.Key == "vcs.modified" && s.Value == "true":
				extra = append(extra, "modified")
			}
		}
	}
	s := fmt.Sprintf("leakvet version %s %s", version, runtime.Version())
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, ", ") + ")"
	}
	return s
}
