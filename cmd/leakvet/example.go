package main

import (
	"embed"
	"io/fs"
)

// exampleFS holds the module 'leakvet' analyzes when given no arguments.
// It lives under this package's testdata so that the repository's own
// ./... ignores it, and its go.mod is stored as go.mod.txt because embed
// refuses a directory that is another module.
//
// The module is embedded here, not in internal/driver, which runs it: an
// embed pattern reaches only files in and below the package's directory,
// and cmd/leakvet/testdata/example is where the README sends readers to
// see what leakvet reports and where .ci/golangci-e2e.sh copies it from.
//
//go:embed testdata/example
var exampleFS embed.FS

// example returns the example module with its files at the root, as
// driver.Command.Example wants it.
func example() fs.FS {
	sub, err := fs.Sub(exampleFS, "testdata/example")
	if err != nil {
		panic(err) // not reached: the name is a valid path
	}
	return sub
}
