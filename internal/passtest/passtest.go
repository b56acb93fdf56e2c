// Package passtest holds what the passes' tests share.
package passtest

import (
	"path/filepath"
	"runtime"
	"testing"
)

// Testdata returns the absolute path of the module's testdata directory,
// the analysistest root of every pass (testdata/src/<pass>/<pkg>).
func Testdata(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("passtest: cannot locate the module's testdata")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata")
}
