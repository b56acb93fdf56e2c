// Command leakvet-dump is 'leakvet dump': it reads goroutine dumps and
// profiles from production, groups, diffs and joins them to leakvet's
// findings (see 'leakvet-dump -h', or internal/dump).
//
// It is a program of its own, which 'leakvet dump' runs, so that leakvet
// itself does not link net/http. With cgo enabled (the default where a C
// compiler is installed), linking the net package makes a binary
// dynamically linked, and every process of it then loads the C library
// first: under go vet, leakvet is one process per package, and that cost
// about 9 ms of CPU each (bench/README.md).
package main

import (
	"os"

	"github.com/leakvet/leakvet"
	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/dump"
)

func main() {
	c := &driver.Command{
		Analyzers: leakvet.Analyzers(),
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Debug:     driver.DebugFromEnv(),
	}
	os.Exit(run(c, os.Args[1:]))
}

func run(c *driver.Command, args []string) (code int) {
	defer c.Recover(&code)
	if len(args) == 1 && args[0] == "help" {
		dump.Help(c.Stdout)
		return driver.ExitClean
	}
	return dump.Run(c, args)
}
