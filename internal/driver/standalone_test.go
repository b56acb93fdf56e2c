package driver

import (
	"slices"
	"testing"
)

func TestErrorLines(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		msg  string
		want []string
	}{
		{"x.go:1:2: bad", []string{"x.go:1:2: bad"}},
		{"no required module provides package a/b; to add it:\n\tgo get a/b", []string{"no required module provides package a/b; to add it: go get a/b"}},
		{"# a/b\nb/x.go:1:1: one\nb/x.go:2:1: two\n", []string{"b/x.go:1:1: one", "b/x.go:2:1: two"}},
		{"go: errors parsing go.mod:\n/m/go.mod:3: unknown directive: foo\n", []string{"go: errors parsing go.mod: /m/go.mod:3: unknown directive: foo"}},
	} {
		if got := ErrorLines(tc.msg); !slices.Equal(got, tc.want) {
			t.Errorf("ErrorLines(%q) = %q, want %q", tc.msg, got, tc.want)
		}
	}
}
