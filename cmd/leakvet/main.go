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
//
// This package only parses the subcommand and hands off: the drivers,
// flags and help are internal/driver's, the output formats and baselines
// internal/report's, 'leakvet verify' internal/verify's; 'leakvet dump'
// runs the leakvet-dump program (cmd/leakvet-dump, internal/dump).
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/verify"
)

func main() {
	c := &driver.Command{
		Analyzers: leakvet.Analyzers(),
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Debug:     driver.DebugFromEnv(),
		Example:   example(),
	}
	os.Exit(run(c, os.Args[1:]))
}

// run executes the command line args (without the program name) and
// returns the exit code.
func run(c *driver.Command, args []string) (code int) {
	defer c.Recover(&code)

	if len(args) == 0 {
		return c.RunExample(driver.DefaultOptions())
	}
	if driver.IsVetProtocol(args) {
		c.RunVet()
		return driver.ExitFailure // not reached: RunVet exits
	}

	opts, err := c.ParseFlags(args)
	if err == flag.ErrHelp {
		c.Usage(opts)
		return driver.ExitClean
	}
	if err != nil {
		return c.UsageError(err.Error())
	}
	c.Debug = c.Debug || opts.Debug
	if opts.Version {
		fmt.Fprintln(c.Stdout, driver.Version())
		return driver.ExitClean
	}

	rest := opts.Args()
	if len(rest) > 0 {
		switch rest[0] {
		case "verify":
			if opts.NFlag() > 0 {
				return c.UsageError("flags for verify come after it: leakvet verify [flags] [packages]")
			}
			return verify.Run(c, rest[1:])
		case "dump":
			if opts.NFlag() > 0 {
				return c.UsageError("flags for dump come after it: leakvet dump [flags] SOURCE [SOURCE2]")
			}
			return execDump(c, rest[1:])
		case "help":
			if len(rest) == 2 && rest[1] == "verify" {
				verify.Help(c.Stdout)
				return driver.ExitClean
			}
			if len(rest) == 2 && rest[1] == "dump" {
				return execDump(c, []string{"help"})
			}
			return c.Help(opts, rest[1:])
		case "version":
			if len(rest) > 1 {
				return c.UsageError("version takes no arguments")
			}
			fmt.Fprintln(c.Stdout, driver.Version())
			return driver.ExitClean
		case "example":
			if len(rest) > 1 {
				return c.UsageError("example takes no arguments")
			}
			return c.RunExample(opts)
		}
	}
	return c.Analyze(opts, rest)
}
