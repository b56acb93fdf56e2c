package driver

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// Exit codes of the standalone driver. (Under go vet the go command decides.)
const (
	ExitClean    = 0 // no findings
	ExitFindings = 1 // findings reported
	ExitFailure  = 2 // leakvet could not do its job
)

// DebugEnv names the environment variable that, like -debug, makes leakvet
// print the stack of an internal error or analyzer panic. Under go vet it
// is the only way, since go vet passes no -debug flag to the tool.
const DebugEnv = "LEAKVET_DEBUG"

// DebugFromEnv reports whether $LEAKVET_DEBUG asks for stacks.
func DebugFromEnv() bool {
	v := os.Getenv(DebugEnv)
	return v != "" && v != "0" && v != "false"
}

// A Command is one invocation of leakvet. Everything it prints goes through
// Stdout and Stderr, and it loads packages relative to Dir ("" for the
// working directory), so tests can run it in-process on any analyzers.
type Command struct {
	Analyzers []*analysis.Analyzer // the passes, in the order -h and help list them
	Stdout    io.Writer            // findings, reports and help
	Stderr    io.Writer            // errors, one "leakvet: ..." line each
	Dir       string               // the directory patterns are relative to; "" for the working directory
	Debug     bool                 // print stacks of internal errors (-debug or $LEAKVET_DEBUG)
	Example   fs.FS                // the built-in example module, its go.mod stored as go.mod.txt
}

// Recover, deferred by the function that runs the command, turns an
// unexpected panic on this goroutine into a one-line error and sets *code
// to ExitFailure. Panics inside analyzers, which run on other goroutines,
// are turned into errors by the guard every driver installs.
func (c *Command) Recover(code *int) {
	r := recover()
	if r == nil {
		return
	}
	c.Errorf("internal error: %v", oneLine(fmt.Sprint(r)))
	if c.Debug {
		c.Stderr.Write(debug.Stack())
	} else {
		c.Errorf("run with -debug or %s=1 for the stack, and please report it", DebugEnv)
	}
	*code = ExitFailure
}

// Analyze runs the passes on the package patterns left after the flags of
// opts: standalone, printing the findings, or with -fix or -diff applying
// or showing their fixes. It returns the exit code.
func (c *Command) Analyze(opts *Options, patterns []string) int {
	for _, arg := range patterns {
		if strings.HasPrefix(arg, "-") {
			return c.UsageError(fmt.Sprintf("flag %s after the package patterns: flags must come before them", arg))
		}
	}
	if len(patterns) == 0 {
		return c.UsageError("no packages named: try 'leakvet ./...' (or plain 'leakvet' for the built-in example)")
	}
	if opts.fix || opts.diff {
		return c.runFix(opts, patterns)
	}
	j, err := c.NewJob(patterns)
	if err != nil {
		c.Errorf("%v", err)
		return ExitFailure
	}
	return c.check(opts, j)
}

// UsageError prints msg and how to get usage, and returns ExitFailure.
func (c *Command) UsageError(msg string) int {
	c.Errorf("%s", msg)
	fmt.Fprintln(c.Stderr, "run 'leakvet -h' for usage")
	return ExitFailure
}

// Errorf prints one "leakvet: ..." line on Stderr.
func (c *Command) Errorf(format string, args ...any) {
	fmt.Fprintf(c.Stderr, "leakvet: "+format+"\n", args...)
}

// stackPrinter returns the panic hook for drivers that print analyzer errors
// themselves (go vet, -fix): with debugging on, it prints the stack as soon
// as the panic is caught.
func (c *Command) stackPrinter() func(*panicError) {
	if !c.Debug {
		return nil
	}
	return func(p *panicError) {
		fmt.Fprintf(c.Stderr, "leakvet: %v\n%s", p, p.stack)
	}
}

// oneLine folds a multi-line message into one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
