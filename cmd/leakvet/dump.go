package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/leakvet/leakvet/internal/driver"
)

// dumpProgram is the program 'leakvet dump' runs. It is kept out of
// leakvet so that leakvet does not link net/http: with cgo, the net
// package makes a binary dynamically linked, and under go vet every
// process of leakvet (one per package) would pay for loading the C
// library (see cmd/leakvet-dump).
const dumpProgram = "leakvet-dump"

// execDump runs leakvet-dump with args, with leakvet's standard streams,
// and returns its exit status. It looks beside leakvet first (go install
// puts both there), then on PATH.
func execDump(c *driver.Command, args []string) int {
	prog, err := findDump()
	if err != nil {
		fmt.Fprintf(c.Stderr, "leakvet: dump: %v\n", err)
		return driver.ExitFailure
	}
	cmd := exec.Command(prog, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, c.Stdout, c.Stderr
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return driver.ExitClean
	case errors.As(err, &exit) && exit.ExitCode() >= 0:
		return exit.ExitCode()
	}
	fmt.Fprintf(c.Stderr, "leakvet: dump: %v\n", err)
	return driver.ExitFailure
}

func findDump() (string, error) {
	name := dumpProgram
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if self, err := os.Executable(); err == nil {
		beside := filepath.Join(filepath.Dir(self), name)
		if fi, err := os.Stat(beside); err == nil && !fi.IsDir() {
			return beside, nil
		}
	}
	if prog, err := exec.LookPath(name); err == nil {
		return prog, nil
	}
	return "", fmt.Errorf("%s is not installed beside leakvet or on PATH; install it with 'go install github.com/leakvet/leakvet/cmd/%s@latest' (from a clone: 'go install ./cmd/%s')", dumpProgram, dumpProgram, dumpProgram)
}
