// Command leakvet finds goroutine leaks and resource lifecycle bugs in Go
// code: obligations that some path through a function forgets to
// discharge, such as the receive a goroutine's send waits for or a
// context's cancel function.
//
// It runs on its own over go/packages patterns:
//
//	leakvet ./...
//
// or as a vet tool, speaking go vet's unitchecker protocol:
//
//	go vet -vettool=$(command -v leakvet) ./...
//
// With no arguments it analyzes a small example module built into the
// binary. Run 'leakvet -h' for flags and exit codes, 'leakvet help NAME' for
// the documentation of a pass.
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/multichecker"

	"github.com/leakvet/leakvet"
)

// Exit codes of the standalone driver. (Under go vet the go command decides.)
const (
	exitClean    = 0 // no findings
	exitFindings = 1 // findings reported
	exitFailure  = 2 // leakvet could not do its job
)

// debugEnv names the environment variable that, like -debug, makes leakvet
// print the stack of an internal error or analyzer panic. Under go vet it
// is the only way, since go vet passes no -debug flag to the tool.
const debugEnv = "LEAKVET_DEBUG"

func main() {
	c := &command{
		analyzers: leakvet.Analyzers(),
		stdout:    os.Stdout,
		stderr:    os.Stderr,
		debug:     debugFromEnv(),
	}
	os.Exit(c.run(os.Args[1:]))
}

// A command is one invocation of leakvet. Everything it prints goes through
// stdout and stderr, and it loads packages relative to dir ("" for the
// working directory), so tests can run it in-process on any analyzers.
type command struct {
	analyzers []*analysis.Analyzer
	stdout    io.Writer
	stderr    io.Writer
	dir       string
	debug     bool // print stacks of internal errors (-debug or $LEAKVET_DEBUG)
}

// run executes the command line args (without the program name) and
// returns the exit code. An unexpected panic on this goroutine becomes a
// one-line error and exit 2; panics inside analyzers, which run on other
// goroutines, are turned into errors by guardPanics.
func (c *command) run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			c.errorf("internal error: %v", oneLine(fmt.Sprint(r)))
			if c.debug {
				c.stderr.Write(debug.Stack())
			} else {
				c.errorf("run with -debug or %s=1 for the stack, and please report it", debugEnv)
			}
			code = exitFailure
		}
	}()

	if len(args) == 0 {
		return c.runExample(defaultOptions())
	}
	if isVetProtocol(args) {
		c.runVet()
		return exitFailure // not reached: multichecker.Main exits
	}

	opts, err := c.parseFlags(args)
	if err != nil {
		if err == errHelp {
			c.usage(c.stdout, opts)
			return exitClean
		}
		c.errorf("%v", err)
		fmt.Fprintln(c.stderr, "run 'leakvet -h' for usage")
		return exitFailure
	}
	c.debug = c.debug || opts.debug
	if opts.version {
		fmt.Fprintln(c.stdout, versionString())
		return exitClean
	}

	rest := opts.flags.Args()
	if len(rest) > 0 {
		switch rest[0] {
		case "verify":
			if opts.flags.NFlag() > 0 {
				return c.usageError("flags for verify come after it: leakvet verify [flags] [packages]")
			}
			return c.verify(rest[1:])
		case "help":
			return c.help(opts, rest[1:])
		case "version":
			if len(rest) > 1 {
				return c.usageError("version takes no arguments")
			}
			fmt.Fprintln(c.stdout, versionString())
			return exitClean
		case "example":
			if len(rest) > 1 {
				return c.usageError("example takes no arguments")
			}
			return c.runExample(opts)
		}
	}
	for _, arg := range rest {
		if strings.HasPrefix(arg, "-") {
			return c.usageError(fmt.Sprintf("flag %s after the package patterns: flags must come before them", arg))
		}
	}
	if len(rest) == 0 {
		return c.usageError("no packages named: try 'leakvet ./...' (or plain 'leakvet' for the built-in example)")
	}
	if opts.fix || opts.diff {
		return c.runFix(opts, rest)
	}
	return c.runStandalone(opts, rest)
}

// runVet hands the invocation over to multichecker, which implements go
// vet's side of the unitchecker protocol (-V=full, -flags, and one *.cfg
// file per package, including -fix and -diff under go vet) and exits.
func (c *command) runVet() {
	guardPanics(c.analyzers, c.stackPrinter())
	multichecker.Main(c.analyzers...)
}

// isVetProtocol reports whether args are go vet talking to its vet tool:
// the -V=full and -flags handshakes, or flags followed by the *.cfg file go
// vet writes for each package. Flag values may stand as separate args, so
// only the last arg is examined for the config file, and it must exist: a
// pattern that merely ends in ".cfg" stays a pattern.
func isVetProtocol(args []string) bool {
	for _, arg := range args {
		if !strings.HasPrefix(arg, "-") || arg == "--" {
			break
		}
		switch strings.TrimLeft(arg, "-") {
		case "V=full", "flags", "flags=true":
			return true
		}
	}
	last := args[len(args)-1]
	if !strings.HasSuffix(last, ".cfg") {
		return false
	}
	info, err := os.Stat(last)
	return err == nil && info.Mode().IsRegular()
}

func (c *command) usageError(msg string) int {
	c.errorf("%s", msg)
	fmt.Fprintln(c.stderr, "run 'leakvet -h' for usage")
	return exitFailure
}

// errorf prints one "leakvet: ..." line on stderr.
func (c *command) errorf(format string, args ...any) {
	fmt.Fprintf(c.stderr, "leakvet: "+format+"\n", args...)
}

// stackPrinter returns the panic hook for drivers that print analyzer errors
// themselves (go vet, -fix): with debugging on, it prints the stack as soon
// as the panic is caught.
func (c *command) stackPrinter() func(*panicError) {
	if !c.debug {
		return nil
	}
	return func(p *panicError) {
		fmt.Fprintf(c.stderr, "leakvet: %v\n%s", p, p.stack)
	}
}

func debugFromEnv() bool {
	v := os.Getenv(debugEnv)
	return v != "" && v != "0" && v != "false"
}

// oneLine folds a multi-line message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
