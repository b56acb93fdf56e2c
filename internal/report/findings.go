package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"
)

// A Finding is one diagnostic, once: a package and its test variant report
// the findings of their shared files twice, and the machine-readable
// formats and baselines count each only once.
type Finding struct {
	Pass     *analysis.Analyzer // the pass that reported it
	Category string             // the diagnostic's Category, "" for none
	Pos, End token.Position     // where it is; End is not valid when the diagnostic has none
	Message  string             // as the pass reported it
	Related  []Related          // the evidence, in the diagnostic's order
	Function string             // the enclosing function, package-qualified (see enclosingFunc)
}

// Related is a position a finding points to as evidence, with what it
// says of it (analysis.RelatedInformation, resolved).
type Related struct {
	Pos     token.Position // may be invalid
	Message string         // what it says of Pos
}

// identity is what makes two diagnostics the same finding: the printers of
// x/tools deduplicate by the same fields.
type identity struct {
	pass     string
	pos, end token.Position
	message  string
}

func (f *Finding) identity() identity {
	return identity{f.Pass.Name, f.Pos, f.End, f.Message}
}

func diagIdentity(act *checker.Action, d analysis.Diagnostic) identity {
	fset := act.Package.Fset
	return identity{act.Analyzer.Name, fset.Position(d.Pos), fset.Position(d.End), d.Message}
}

// Collect returns the findings of the actions, without duplicates, sorted
// by position, then pass and message.
func Collect(acts []*checker.Action) []*Finding {
	seen := make(map[identity]bool)
	var out []*Finding
	for _, act := range acts {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			id := diagIdentity(act, d)
			if seen[id] {
				continue
			}
			seen[id] = true
			f := &Finding{
				Pass:     act.Analyzer,
				Category: d.Category,
				Pos:      id.pos,
				End:      id.end,
				Message:  d.Message,
				Function: enclosingFunc(act.Package, d.Pos),
			}
			for _, r := range d.Related {
				f.Related = append(f.Related, Related{fset.Position(r.Pos), r.Message})
			}
			out = append(out, f)
		}
	}
	slices.SortStableFunc(out, func(a, b *Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.Filename, b.Pos.Filename),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Pass.Name, b.Pass.Name),
			cmp.Compare(a.Message, b.Message),
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

// A Key identifies a finding across edits of its file: its pass,
// category, enclosing function and message with line numbers normalised,
// but no position. Baselines and SARIF fingerprints are built on it.
type Key struct {
	Pass     string `json:"pass"`     // the pass's name
	Category string `json:"category"` // "" for none
	Function string `json:"function"` // the enclosing function, package-qualified
	Message  string `json:"message"`  // with each quoted line number as "line N"
}

func (f *Finding) key() Key {
	return Key{f.Pass.Name, f.Category, f.Function, normalizeMessage(f.Message)}
}

// fingerprints returns, for the keys of findings sorted by position, a
// stable hash of each key and its occurrence index among the equal keys:
// the second identical finding in a function gets a hash of its own, and
// neither hash changes when unrelated lines move.
func fingerprints(keys []Key) []string {
	count := make(map[Key]int)
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
