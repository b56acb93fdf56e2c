package a

import "context"

// Many conditions tested twice multiply the facts a path carries; facts
// about values no later branch tests are dropped, so the early return is
// still found within the walk's budget (without the pruning this
// function needs over 100,000 states).
func manyBranches(ctx context.Context, a, b, c, d, e, f, g, h, i, j, k bool, n int) {
	cctx, cancel := context.WithCancel(ctx) // want `the cancel function cancel returned by context\.WithCancel is not called on the path that returns at line 12; call it on every path \(defer cancel\(\) after the call\) to release the context`
	if a {
		return
	}
	if b {
		useCtx(cctx)
	}
	if b {
		useCtx(cctx)
	}
	if c {
		useCtx(cctx)
	}
	if c {
		useCtx(cctx)
	}
	if d {
		useCtx(cctx)
	}
	if d {
		useCtx(cctx)
	}
	if e {
		useCtx(cctx)
	}
	if e {
		useCtx(cctx)
	}
	if f {
		useCtx(cctx)
	}
	if f {
		useCtx(cctx)
	}
	if g {
		useCtx(cctx)
	}
	if g {
		useCtx(cctx)
	}
	if h {
		useCtx(cctx)
	}
	if h {
		useCtx(cctx)
	}
	if i {
		useCtx(cctx)
	}
	if i {
		useCtx(cctx)
	}
	if j {
		useCtx(cctx)
	}
	if j {
		useCtx(cctx)
	}
	if k {
		useCtx(cctx)
	}
	if k {
		useCtx(cctx)
	}
	if n%2 == 0 {
		useCtx(cctx)
	}
	if n%3 == 0 {
		useCtx(cctx)
	}
	if n%4 == 0 {
		useCtx(cctx)
	}
	if n%5 == 0 {
		useCtx(cctx)
	}
	if n%6 == 0 {
		useCtx(cctx)
	}
	if n%7 == 0 {
		useCtx(cctx)
	}
	if n%8 == 0 {
		useCtx(cctx)
	}
	if n%9 == 0 {
		useCtx(cctx)
	}
	if n%10 == 0 {
		useCtx(cctx)
	}
	if n%11 == 0 {
		useCtx(cctx)
	}
	if n%12 == 0 {
		useCtx(cctx)
	}
	if n%13 == 0 {
		useCtx(cctx)
	}
	if n%14 == 0 {
		useCtx(cctx)
	}
	if n%15 == 0 {
		useCtx(cctx)
	}
	if n%16 == 0 {
		useCtx(cctx)
	}
	if n%17 == 0 {
		useCtx(cctx)
	}
	if n%18 == 0 {
		useCtx(cctx)
	}
	if n%19 == 0 {
		useCtx(cctx)
	}
	if n%20 == 0 {
		useCtx(cctx)
	}
	if n%21 == 0 {
		useCtx(cctx)
	}
	if n%22 == 0 {
		useCtx(cctx)
	}
	if n%23 == 0 {
		useCtx(cctx)
	}
	if n%24 == 0 {
		useCtx(cctx)
	}
	if n%25 == 0 {
		useCtx(cctx)
	}
	if n%26 == 0 {
		useCtx(cctx)
	}
	if n%27 == 0 {
		useCtx(cctx)
	}
	if n%28 == 0 {
		useCtx(cctx)
	}
	if n%29 == 0 {
		useCtx(cctx)
	}
	if n%30 == 0 {
		useCtx(cctx)
	}
	if n%31 == 0 {
		useCtx(cctx)
	}
	if n%32 == 0 {
		useCtx(cctx)
	}
	if n%33 == 0 {
		useCtx(cctx)
	}
	if n%34 == 0 {
		useCtx(cctx)
	}
	if n%35 == 0 {
		useCtx(cctx)
	}
	if n%36 == 0 {
		useCtx(cctx)
	}
	if n%37 == 0 {
		useCtx(cctx)
	}
	if n%38 == 0 {
		useCtx(cctx)
	}
	if n%39 == 0 {
		useCtx(cctx)
	}
	if n%40 == 0 {
		useCtx(cctx)
	}
	if n%41 == 0 {
		useCtx(cctx)
	}
	if n%42 == 0 {
		useCtx(cctx)
	}
	if n%43 == 0 {
		useCtx(cctx)
	}
	if n%44 == 0 {
		useCtx(cctx)
	}
	if n%45 == 0 {
		useCtx(cctx)
	}
	if n%46 == 0 {
		useCtx(cctx)
	}
	if n%47 == 0 {
		useCtx(cctx)
	}
	if n%48 == 0 {
		useCtx(cctx)
	}
	if n%49 == 0 {
		useCtx(cctx)
	}
	if n%50 == 0 {
		useCtx(cctx)
	}
	if n%51 == 0 {
		useCtx(cctx)
	}
	if n%52 == 0 {
		useCtx(cctx)
	}
	if n%53 == 0 {
		useCtx(cctx)
	}
	if n%54 == 0 {
		useCtx(cctx)
	}
	if n%55 == 0 {
		useCtx(cctx)
	}
	if n%56 == 0 {
		useCtx(cctx)
	}
	if n%57 == 0 {
		useCtx(cctx)
	}
	if n%58 == 0 {
		useCtx(cctx)
	}
	if n%59 == 0 {
		useCtx(cctx)
	}
	if n%60 == 0 {
		useCtx(cctx)
	}
	if n%61 == 0 {
		useCtx(cctx)
	}
	cancel()
}
