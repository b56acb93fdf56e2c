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
//
// It reads the package comment by hand rather than with go/parser: every
// pass calls it in its package initialisation, and under go vet that is
// once per package the tool runs on (hundreds for a program). The comment
// is the block of // lines right before the package clause, as
// ast.CommentGroup.Text gives it (TestExtractLikeParser holds the two
// together on the passes' doc.go files).
func Extract(content, name string) (string, error) {
	doc, ok := packageComment(content)
	if !ok {
		return "", fmt.Errorf("doc.go is not a Go source file with a package clause")
	}
	if doc == "" {
		return "", fmt.Errorf("doc.go has no package comment")
	}
	for section := range strings.SplitSeq("\n"+doc, "\n# ") {
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

// packageComment returns the text of the // comment lines that end right
// before content's package clause (as ast.CommentGroup.Text: markers and
// one space stripped, directives dropped, runs of blank lines made one,
// leading and trailing blank lines removed). ok is false when no line
// starts the package clause. Block comments are not package comments
// here: leakvet's doc.go files use line comments.
func packageComment(content string) (doc string, ok bool) {
	var block []string
	for line := range strings.Lines(content) {
		line = strings.TrimRight(line, "\r\n")
		switch {
		case strings.HasPrefix(line, "package ") || line == "package":
			return commentText(block), true
		case strings.HasPrefix(line, "//"):
			block = append(block, line)
		default:
			block = nil // a blank or other line detaches what came before
		}
	}
	return "", false
}

// directive is a //go:build-style line, which CommentGroup.Text drops.
var directive = regexp.MustCompile(`^//(line |extern |export |[a-z0-9]+:[a-z0-9])`)

func commentText(block []string) string {
	var lines []string
	for _, l := range block {
		if directive.MatchString(l) {
			continue
		}
		l = strings.TrimPrefix(l, "//")
		l = strings.TrimPrefix(l, " ")
		lines = append(lines, strings.TrimRight(l, " \t"))
	}
	// Runs of blank lines become one; leading and trailing ones go.
	var out []string
	for _, l := range lines {
		if l == "" && (len(out) == 0 || out[len(out)-1] == "") {
			continue
		}
		out = append(out, l)
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	if len(out) == 0 {
		return ""
	}
	return strings.Join(out, "\n") + "\n"
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
