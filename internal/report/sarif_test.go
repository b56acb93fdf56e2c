package report

import (
	"os"
	"path/filepath"
	"testing"
)

// TestUTF16Columns checks SARIF columns count UTF-16 code units, not
// bytes: "é" is 2 bytes and 1 unit, "😀" 4 bytes and 2 units.
func TestUTF16Columns(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "x.go")
	if err := os.WriteFile(name, []byte("package x\n\nvar s = \"é😀\" + f()\n"), 0o644); err != nil {
		t.Fatal(err)
	}
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
