package main

import (
	"embed"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// exampleFS is the module 'leakvet' analyzes when given no arguments. It
// lives under testdata so that the repository's own ./... ignores it, and
// its go.mod is stored as go.mod.txt because go:embed refuses a directory
// that is another module.
//
//go:embed testdata/example
var exampleFS embed.FS

const exampleRoot = "testdata/example"

// exampleHint closes the output of the built-in example.
const exampleHint = "this was leakvet's built-in example; run 'leakvet ./...' in your module, or see 'leakvet -h'"

// runExample writes the example module to a temporary directory, analyzes
// its ./... there, prints the findings with names relative to that
// directory (example/leaky.go:12:2: ...) and removes it. Findings are the
// point of the example, so they do not make the exit code 1.
func (c *command) runExample(opts *options) int {
	if opts.fix || opts.diff {
		return c.usageError("-fix and -diff do not apply to the built-in example")
	}
	tmp, err := os.MkdirTemp("", "leakvet-example-")
	if err != nil {
		c.errorf("cannot create a directory for the example: %v", err)
		return exitFailure
	}
	defer os.RemoveAll(tmp)

	dir := filepath.Join(tmp, "example")
	if err := extractExample(dir); err != nil {
		c.errorf("cannot write the example: %v", err)
		return exitFailure
	}
	j := &job{
		dir: dir,
		// The example is a module of its own: whatever workspace or
		// -mod=vendor the user's environment selects does not apply.
		env:      append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod"),
		patterns: []string{"./..."},
		paths:    newRelativizer(tmp, ""),
	}
	code := c.analyze(opts, j)
	hintTo := c.stdout
	if opts.format.name != "text" || opts.output != "" {
		hintTo = c.stderr // keep stdout valid JSON, SARIF, ...
	}
	fmt.Fprintln(hintTo, exampleHint)
	if code == exitFindings {
		code = exitClean
	}
	return code
}

// extractExample writes the embedded example module into dir, renaming
// go.mod.txt to go.mod.
func extractExample(dir string) error {
	return fs.WalkDir(exampleFS, exampleRoot, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(name, exampleRoot), "/")
		if path.Base(rel) == "go.mod.txt" {
			rel = path.Join(path.Dir(rel), "go.mod")
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := exampleFS.ReadFile(name)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
