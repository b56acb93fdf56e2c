package driver

import (
	"flag"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/packages"
)

// runFix applies (-fix) or prints (-diff) the suggested fixes of the
// findings.
//
// Merging the fixes of several passes and packages, skipping generated
// files and conflicting edits, and formatting the result is done by x/tools
// in an internal package (driverutil.ApplyFixes), reachable only through
// its own drivers. So leakvet does not reimplement it: it hands over to
// multichecker.Main with os.Args rewritten to the equivalent command line
// in multichecker's flags (-fix, -diff, -test, -NAME and -NAME.FLAG as the
// user set them), and multichecker exits with its own status: 0 when
// every fix applied, 1 when some could not be (conflicts: run again).
//
// Before that, leakvet loads the packages itself (without the source of
// their dependencies, so the cost is go vet's) and stops with exit 2 and its
// usual one-line errors if any package fails to load or type-check or a
// pattern matches nothing: rewriting files of a program that does not
// compile is refused, and multichecker's exit status 1 keeps one meaning.
func (c *Command) runFix(opts *Options, patterns []string) int {
	j, err := c.NewJob(patterns)
	if err != nil {
		c.Errorf("%v", err)
		return ExitFailure
	}
	if _, ok := c.load(packages.LoadSyntax|packages.NeedModule, opts.tests, j); !ok {
		return ExitFailure
	}
	if c.Dir != "" {
		if err := os.Chdir(c.Dir); err != nil {
			c.Errorf("%v", err)
			return ExitFailure
		}
	}
	guardPanics(c.Analyzers, c.stackPrinter())
	os.Args = append([]string{os.Args[0]}, multicheckerArgs(opts, patterns)...)
	multichecker.Main(c.Analyzers...)
	return ExitFailure // not reached: multichecker.Main exits
}

// multicheckerArgs translates a -fix or -diff command line into
// multichecker's terms. -json and -c never get here (-json is rejected with
// -fix, -c does nothing then) and -debug has no equivalent.
func multicheckerArgs(opts *Options, patterns []string) []string {
	args := []string{"-fix"}
	if opts.diff {
		args = append(args, "-diff")
	}
	if !opts.tests {
		args = append(args, "-test=false")
	}
	passFlag := make(map[string]bool)
	for a := range opts.enabled {
		passFlag[a.Name] = true
	}
	opts.flags.Visit(func(f *flag.Flag) { // the flags set, in lexical order
		name, _, _ := strings.Cut(f.Name, ".")
		if passFlag[name] {
			args = append(args, "-"+f.Name+"="+f.Value.String())
		}
	})
	args = append(args, "--")
	return append(args, patterns...)
}
