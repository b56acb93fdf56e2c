// Package goversion answers which Go semantics a file of the package under
// analysis is compiled with: its language version (the type checker's
// FileVersions, which honour //go:build go1.N lines and the module's go
// line) and whether the old asynchronous timer channels are forced back
// with GODEBUG asynctimerchan=1 (a //go:debug directive or a godebug line
// of the nearest go.mod).
package goversion

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/token"
	"go/version"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// FileOf returns the file of the package that contains pos, or nil.
func FileOf(pass *analysis.Pass, pos token.Pos) *ast.File {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return f
		}
	}
	return nil
}

// Of returns the Go version ("go1.22") the file containing pos is
// compiled at, or "" when unknown.
func Of(pass *analysis.Pass, pos token.Pos) string {
	if f := FileOf(pass, pos); f != nil && pass.TypesInfo.FileVersions != nil {
		if v := pass.TypesInfo.FileVersions[f]; v != "" {
			return v
		}
	}
	if pass.Pkg != nil {
		return pass.Pkg.GoVersion()
	}
	return ""
}

// Before reports whether the file containing pos is compiled at a known Go
// version older than v. An unknown version is not older: the caller
// assumes the current semantics.
func Before(pass *analysis.Pass, pos token.Pos, v string) bool {
	fv := Of(pass, pos)
	return fv != "" && version.Compare(fv, v) < 0
}

// Timers returns the Go version whose timer semantics the code at pos
// gets. Timers are not a language feature: the runtime takes them from
// GODEBUG asynctimerchan, whose default follows the main module's go line;
// a //go:build line changes a file's language version but not its timers
// (measured). So the package's go version (its module's go line) decides
// when known, and the file's version only when the package has none
// (GOPATH mode, as in analysistest).
func Timers(pass *analysis.Pass, pos token.Pos) string {
	if pass.Pkg != nil && pass.Pkg.GoVersion() != "" {
		return pass.Pkg.GoVersion()
	}
	return Of(pass, pos)
}

// AsyncTimerChan reports whether the package selects the pre-Go 1.23
// timer channels with asynctimerchan=1: a //go:debug directive in one of
// its files, or a godebug line in the go.mod above them. Only the main
// package's setting governs a program; a library cannot know its main, so
// this reads its own module's setting as the best available evidence.
func AsyncTimerChan(pass *analysis.Pass) bool {
	for _, f := range pass.Files {
		for _, cg := range f.Comments {
			if cg.Pos() > f.Package {
				break // //go:debug directives precede the package clause
			}
			for _, c := range cg.List {
				if rest, ok := strings.CutPrefix(c.Text, "//go:debug "); ok && hasAsync(rest) {
					return true
				}
			}
		}
	}
	if len(pass.Files) == 0 {
		return false
	}
	dir := filepath.Dir(pass.Fset.File(pass.Files[0].Pos()).Name())
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			return godebugAsync(data)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return false
		}
		dir = parent
	}
}

// godebugAsync scans a go.mod for `godebug asynctimerchan=1`, in a line or
// a block.
func godebugAsync(gomod []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(gomod))
	inBlock := false
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "//"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		switch {
		case inBlock && line == ")":
			inBlock = false
		case inBlock:
			if hasAsync(line) {
				return true
			}
		case line == "godebug (":
			inBlock = true
		case strings.HasPrefix(line, "godebug "):
			if hasAsync(strings.TrimPrefix(line, "godebug ")) {
				return true
			}
		}
	}
	return false
}

func hasAsync(settings string) bool {
	for _, kv := range strings.FieldsFunc(settings, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if strings.TrimSpace(kv) == "asynctimerchan=1" {
			return true
		}
	}
	return false
}
