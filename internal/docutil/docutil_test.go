package docutil

import (
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
