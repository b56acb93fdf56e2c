package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
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

// usage prints the full help text: what leakvet is, how to run it, its
// flags, its passes and its exit codes.
func (c *command) usage(w io.Writer, opts *options) {
	fmt.Fprint(w, intro)

	fmt.Fprintln(w, "\nFlags:")
	fmt.Fprintln(w)
	core := flag.NewFlagSet("", flag.ContinueOnError)
	passFlag := make(map[string]bool)
	for _, a := range c.analyzers {
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
	for _, a := range c.analyzers {
		fmt.Fprintf(w, "  %-12s %s\n", a.Name, summary(a))
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
	fmt.Fprintf(w, "\nSet %s=1 to see the stack of an internal error or analyzer panic\n(including under go vet).\n", debugEnv)
}

// help implements 'leakvet help [pass...]'.
func (c *command) help(opts *options, names []string) int {
	if len(names) == 0 {
		c.usage(c.stdout, opts)
		return exitClean
	}
	if len(names) == 1 && names[0] == "verify" {
		_, fs, _ := c.parseVerifyFlags(nil)
		c.verifyHelp(c.stdout, fs)
		return exitClean
	}
	byName := make(map[string]*analysis.Analyzer)
	for _, a := range c.analyzers {
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
		for _, a := range c.analyzers {
			known = append(known, a.Name)
		}
		for _, name := range unknown {
			c.errorf("no pass named %q (passes: %s)", name, strings.Join(known, ", "))
		}
		return exitFailure
	}
	for i, name := range names {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		c.describe(c.stdout, byName[name])
	}
	return exitClean
}

// describe prints a pass's full documentation and flags.
func (c *command) describe(w io.Writer, a *analysis.Analyzer) {
	fmt.Fprintf(w, "%s: %s\n", a.Name, strings.TrimRight(a.Doc, "\n"))
	fmt.Fprintf(w, "\nRun only this pass with -%[1]s, or all but this one with -%[1]s=false.\n", a.Name)
	first := true
	fs := flag.NewFlagSet(a.Name, flag.ContinueOnError)
	a.Flags.VisitAll(func(f *flag.Flag) {
		if first {
			fmt.Fprintln(w, "\nFlags:")
			fmt.Fprintln(w)
			first = false
		}
		fs.Var(f.Value, a.Name+"."+f.Name, f.Usage)
	})
	fs.SetOutput(w)
	fs.PrintDefaults()
	if a.URL != "" {
		fmt.Fprintf(w, "\nMore: %s\n", a.URL)
	}
}

// summary is the first line of a pass's Doc.
func summary(a *analysis.Analyzer) string {
	first, _, _ := strings.Cut(a.Doc, "\n")
	return strings.TrimSpace(first)
}

// versionString names the module version of the binary, as recorded by the
// go command: a release tag when installed with go install ...@vX.Y.Z, a
// pseudo-version or "(devel)" when built in a work tree.
func versionString() string {
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
