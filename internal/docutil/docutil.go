// Package docutil extracts an analyzer's documentation from its doc.go.
//
// Each pass keeps its user documentation in exactly one place, the package
// comment of its doc.go, embedded with //go:embed. The comment holds a
// section headed "# Analyzer <name>" whose first line is "<name>: summary";
// Doc is that section without the heading, so `leakvet help <name>` and
// `go doc` show the same text. (x/tools has the same helper, but internal.)
package docutil

import (
	"fmt"
	"go/parser"
	"go/token"
	"regexp"
	"strings"
)

// MustExtract is Extract for package initialisation: a malformed doc.go is a
// programming error caught by every test of the pass.
func MustExtract(content, name string) string {
	doc, err := Extract(content, name)
	if err != nil {
		panic(fmt.Sprintf("docutil: %s: %v", name, err))
	}
	return doc
}

// Extract returns the "# Analyzer name" section of the package comment of
// the Go source content, starting at its "name: summary" line.
func Extract(content, name string) (string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", content, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		return "", fmt.Errorf("doc.go is not a Go source file: %v", err)
	}
	if f.Doc == nil {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	for section := range strings.SplitSeq("\n"+f.Doc.Text(), "\n# ") {
		body, ok := strings.CutPrefix(section, "Analyzer "+name+"\n")
		if !ok {
			continue
		}
		body = strings.TrimSpace(body)
		rest, ok := strings.CutPrefix(body, name+":")
		if !ok {
			return "", fmt.Errorf("heading %q is not followed by a %q line", "Analyzer "+name, name+": summary")
		}
		return strings.TrimSpace(rest), nil
	}
	return "", fmt.Errorf("package comment has no %q heading", "# Analyzer "+name)
}

// A Category is one kind of finding of a pass, as its doc.go lists it.
type Category struct {
	Name string // the Diagnostic.Category, e.g. "unreleased"
	Text string // its description, one line, e.g. "(before go1.23) a time.NewTicker ..."
}

// categoryItem matches the first line of a list item naming a category:
// "  - name: text" or "  - name (qualifier): text".
var categoryItem = regexp.MustCompile(`^\s*- ([a-z][a-z0-9-]*)( \([^)]*\))?: (.*)$`)

// Categories returns the categories a pass's Doc lists, in its order: the
// items "- name: description" (or "- name (qualifier): description") of
// its lists, each description joined onto one line without the item's
// closing ";" or ".".
func Categories(doc string) []Category {
	var out []Category
	in := false // inside an item: indented lines continue it
	for line := range strings.SplitSeq(doc, "\n") {
		if m := categoryItem.FindStringSubmatch(line); m != nil {
			text := m[3]
			if m[2] != "" {
				text = strings.TrimSpace(m[2]) + " " + text
			}
			out = append(out, Category{Name: m[1], Text: text})
			in = true
			continue
		}
		trimmed := strings.TrimSpace(line)
		if in && trimmed != "" && !strings.HasPrefix(trimmed, "-") && strings.HasPrefix(line, "    ") {
			out[len(out)-1].Text += " " + trimmed
			continue
		}
		in = false
	}
	for i := range out {
		out[i].Text = strings.TrimRight(out[i].Text, ";.")
	}
	return out
}
