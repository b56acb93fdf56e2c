package report

import "testing"

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
