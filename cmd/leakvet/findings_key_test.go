package main

import (
	"path/filepath"
	"testing"
)

func TestNormalizeMessage(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"returns at line 23; call it":         "returns at line N; call it",
		"at lines 4, 9 and 12 it":             "at line N it",
		"wg.Wait at line 31 blocks; cap 1 ok": "wg.Wait at line N blocks; cap 1 ok",
		"no numbers":                          "no numbers",
	} {
		if got := normalizeMessage(in); got != want {
			t.Errorf("normalizeMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestUTF16Columns checks SARIF columns count UTF-16 code units, not
// bytes: "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units.
func TestUTF16Columns(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "x.go")
	writeFile(t, name, "package x\n\nvar s = \"é😀\" + f()\n")
	cc := newColumnCache()
	// f is at byte column 20; before it, é saves one column and 😀 two.
	line := "var s = \"é😀\" + f()"
	byteCol := len("var s = \"é😀\" + ") + 1
	if line[byteCol-1] != 'f' {
		t.Fatal("test setup")
	}
	if got, want := cc.utf16Col(name, 3, byteCol), byteCol-3; got != want {
		t.Errorf("utf16Col = %d, want %d", got, want)
	}
	if got := cc.utf16Col(name, 99, 5); got != 5 {
		t.Errorf("past the end: %d, want the byte column", got)
	}
}
