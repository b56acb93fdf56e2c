package driver

import (
	"os"
	"testing"
)

func TestIsVetProtocol(t *testing.T) {
	t.Parallel()
	cfg := t.TempDir() + "/vet.cfg"
	if err := os.WriteFile(cfg, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"--V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{cfg}, true},
		{[]string{"-json", "-ctxcancel", cfg}, true},
		{[]string{"-ctxcancel.x", "value", cfg}, true}, // a flag value as its own arg
		{[]string{"-V"}, false},
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, false},
		{[]string{"./nope.cfg"}, false}, // no such file: a pattern
		{[]string{"./...", "-flags"}, false},
	} {
		if got := IsVetProtocol(tc.args); got != tc.want {
			t.Errorf("IsVetProtocol(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
