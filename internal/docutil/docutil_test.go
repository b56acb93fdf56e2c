package docutil

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	t.Parallel()
	src := "// Package p does things.\n//\n// # Analyzer foo\n//\n// foo: find foos\n//\n// More text.\n//\n// # Other\n//\n// x\npackage p\n"
	got, err := Extract(src, "foo")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "find foos") || !strings.Contains(got, "More text.") || strings.Contains(got, "Other") {
		t.Errorf("Extract = %q", got)
	}
	for _, bad := range []string{
		"package p\n", // no comment
		"// # Analyzer bar\n//\n// bar: x\npackage p\n", // wrong name
		"// # Analyzer foo\n//\n// no summary\npackage p\n",
		"not go",
	} {
		if _, err := Extract(bad, "foo"); err == nil {
			t.Errorf("Extract(%q) succeeded, want error", bad)
		}
	}
}

func TestCategories(t *testing.T) {
	t.Parallel()
	doc := "find foos\n\nIt reports:\n\n  - plain: one line;\n  - long-one (before go1.23): first\n    second.\n  - not a category because of spaces: x\n\nAfter.\n    indented text\n"
	got := Categories(doc)
	want := []Category{
		{"plain", "one line"},
		{"long-one", "(before go1.23) first second"},
	}
	if len(got) != len(want) {
		t.Fatalf("Categories = %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Categories[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

// TestExtractLikeParser checks the hand-read package comment against
// go/parser's on every pass's doc.go.
func TestExtractLikeParser(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../../passes/*/doc.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no doc.go files: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(token.NewFileSet(), file, data, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := packageComment(string(data))
		if !ok || got != f.Doc.Text() {
			t.Errorf("%s: package comment read by hand differs from go/parser's:\n got %q\nwant %q", file, got, f.Doc.Text())
		}
	}
	for _, src := range []string{
		"// Package p.\n//\n//\n// Two blanks.\n//go:build linux\n\n// Attached.\npackage p\n",
		"//  indented\n// \tx  \npackage p // trailing\n",
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := packageComment(src); got != f.Doc.Text() {
			t.Errorf("%q: got %q, want %q", src, got, f.Doc.Text())
		}
	}
}
