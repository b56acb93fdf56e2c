package main

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A finding is one diagnostic, once: a package and its test variant report
// the findings of their shared files twice, and the machine-readable
// formats and baselines count each only once.
type finding struct {
	pass     *analysis.Analyzer
	category string
	pos, end token.Position
	message  string
	related  []relatedInfo
	function string // the enclosing function, package-qualified (see enclosingFunc)
}

type relatedInfo struct {
	pos     token.Position
	message string
}

// identity is what makes two diagnostics the same finding: the printers of
// x/tools deduplicate by the same fields.
type identity struct {
	pass     string
	pos, end token.Position
	message  string
}

func (f *finding) identity() identity {
	return identity{f.pass.Name, f.pos, f.end, f.message}
}

func diagIdentity(act *checker.Action, d analysis.Diagnostic) identity {
	fset := act.Package.Fset
	return identity{act.Analyzer.Name, fset.Position(d.Pos), fset.Position(d.End), d.Message}
}

// collectFindings returns the findings of the actions, without
// duplicates, sorted by position, then pass and message.
func collectFindings(acts []*checker.Action) []*finding {
	seen := make(map[identity]bool)
	var out []*finding
	for _, act := range acts {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			id := diagIdentity(act, d)
			if seen[id] {
				continue
			}
			seen[id] = true
			f := &finding{
				pass:     act.Analyzer,
				category: d.Category,
				pos:      id.pos,
				end:      id.end,
				message:  d.Message,
				function: enclosingFunc(act.Package, d.Pos),
			}
			for _, r := range d.Related {
				f.related = append(f.related, relatedInfo{fset.Position(r.Pos), r.Message})
			}
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *finding) int {
		return cmp.Or(
			cmp.Compare(a.pos.Filename, b.pos.Filename),
			cmp.Compare(a.pos.Line, b.pos.Line),
			cmp.Compare(a.pos.Column, b.pos.Column),
			cmp.Compare(a.pass.Name, b.pass.Name),
			cmp.Compare(a.message, b.message),
		)
	})
	return out
}

// enclosingFunc names the top-level function or method declaration that
// contains pos, qualified by the package path: "example.com/m.Fetch",
// "example.com/m.Server.Close" (a pointer receiver is named like a value
// one). A finding in a function literal belongs to the declaration around
// it; one outside any function, such as in a package-level var, gets the
// package path alone. Names, unlike line numbers, survive unrelated edits.
func enclosingFunc(pkg *packages.Package, pos token.Pos) string {
	for _, file := range pkg.Syntax {
		if pos < file.FileStart || pos > file.FileEnd {
			continue
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || pos < fd.Pos() || pos > fd.End() {
				continue
			}
			name := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				if recv := recvTypeName(fd.Recv.List[0].Type); recv != "" {
					name = recv + "." + name
				}
			}
			return pkg.PkgPath + "." + name
		}
	}
	return pkg.PkgPath
}

func recvTypeName(e ast.Expr) string {
	for {
		switch t := e.(type) {
		case *ast.StarExpr:
			e = t.X
		case *ast.ParenExpr:
			e = t.X
		case *ast.IndexExpr: // T[P]
			e = t.X
		case *ast.IndexListExpr: // T[P, Q]
			e = t.X
		case *ast.Ident:
			return t.Name
		default:
			return ""
		}
	}
}

// lineNumbers matches the line numbers that messages quote ("returns at
// line 23", "lines 4 and 9").
var lineNumbers = regexp.MustCompile(`\blines? \d+((, | and | or )\d+)*`)

// normalizeMessage replaces the line numbers in a message, so that a
// finding keeps its key when lines above it move.
func normalizeMessage(msg string) string {
	return lineNumbers.ReplaceAllString(msg, "line N")
}

// A findingKey identifies a finding across edits of its file: its pass,
// category, enclosing function and message with line numbers normalised,
// but no position. Baselines and SARIF fingerprints are built on it.
type findingKey struct {
	Pass     string `json:"pass"`
	Category string `json:"category"`
	Function string `json:"function"`
	Message  string `json:"message"`
}

func (f *finding) key() findingKey {
	return findingKey{f.pass.Name, f.category, f.function, normalizeMessage(f.message)}
}

// fingerprints returns, for the keys of findings sorted by position, a
// stable hash of each key and its occurrence index among the equal keys:
// the second identical finding in a function gets a hash of its own, and
// neither hash changes when unrelated lines move.
func fingerprints(keys []findingKey) []string {
	count := make(map[findingKey]int)
	out := make([]string, len(keys))
	for i, k := range keys {
		h := sha256.New()
		for _, s := range []string{k.Pass, k.Category, k.Function, k.Message, fmt.Sprint(count[k])} {
			fmt.Fprintf(h, "%d:%s\n", len(s), s)
		}
		count[k]++
		out[i] = hex.EncodeToString(h.Sum(nil))[:32]
	}
	return out
}

// srcRoot returns the directory that names in SARIF and GitHub annotations
// are relative to: $GITHUB_WORKSPACE when set (GitHub Actions resolves
// annotations and code scanning URIs against it), else the nearest
// directory at or above dir holding .git, else dir itself.
func srcRoot(dir string) string {
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" {
		if abs, err := filepath.Abs(ws); err == nil {
			return abs
		}
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// relToRoot returns name relative to root with forward slashes, and
// whether it is under root.
func relToRoot(root, name string) (string, bool) {
	for _, r := range []string{root, realPath(root)} {
		for _, n := range []string{name, realPath(name)} {
			rel, err := filepath.Rel(r, n)
			if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
				return filepath.ToSlash(rel), true
			}
		}
	}
	return filepath.ToSlash(name), false
}
