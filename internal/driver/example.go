package driver

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/leakvet/leakvet/internal/report"
)

// ExampleHint closes the output of the built-in example.
const ExampleHint = "this was leakvet's built-in example; run 'leakvet ./...' in your module, or see 'leakvet -h'"

// RunExample writes the example module (Command.Example) to a temporary
// directory, analyzes its ./... there, prints the findings with names
// relative to that directory (example/leaky.go:12:2: ...) and removes it.
// Findings are the point of the example, so they do not make the exit code
// 1.
func (c *Command) RunExample(opts *Options) int {
	if opts.fix || opts.diff {
		return c.UsageError("-fix and -diff do not apply to the built-in example")
	}
	tmp, err := os.MkdirTemp("", "leakvet-example-")
	if err != nil {
		c.Errorf("cannot create a directory for the example: %v", err)
		return ExitFailure
	}
	defer os.RemoveAll(tmp)

	dir := filepath.Join(tmp, "example")
	if err := WriteExample(c.Example, dir); err != nil {
		c.Errorf("cannot write the example: %v", err)
		return ExitFailure
	}
	j := &Job{
		Dir: dir,
		// The example is a module of its own: whatever workspace or
		// -mod=vendor the user's environment selects does not apply.
		Env:      append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod"),
		Patterns: []string{"./..."},
		Paths:    report.NewPaths(tmp, ""),
	}
	code := c.check(opts, j)
	hintTo := c.Stdout
	if opts.format.name != "text" || opts.output != "" {
		hintTo = c.Stderr // keep stdout valid JSON, SARIF, ...
	}
	fmt.Fprintln(hintTo, ExampleHint)
	if code == ExitFindings {
		code = ExitClean
	}
	return code
}

// WriteExample writes the example module example, as embedded (its go.mod
// stored as go.mod.txt, since go:embed refuses a directory that is another
// module), into dir, renaming go.mod.txt to go.mod.
func WriteExample(example fs.FS, dir string) error {
	return fs.WalkDir(example, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := name
		if path.Base(rel) == "go.mod.txt" {
			rel = path.Join(path.Dir(rel), "go.mod")
		}
		target := filepath.Join(dir, filepath.FromSlash(rel))
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := fs.ReadFile(example, name)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}
