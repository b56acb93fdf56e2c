package witness

import "testing"

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	msg := Step(3, "goroutine 2", "locks s.mu: blocks forever")
	n, g, what, ok := Parse(msg)
	if !ok || n != 3 || g != "goroutine 2" || what != "locks s.mu: blocks forever" {
		t.Fatalf("Parse(%q) = %d, %q, %q, %v", msg, n, g, what, ok)
	}
	for _, bad := range []string{"the Done is never called", "step x, g: y", "step 0, g: y", "step 1, : y", "step 1 g: y"} {
		if _, _, _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) ok, want not a step", bad)
		}
	}
}
