// Package dump implements 'leakvet dump': it reads goroutine dumps and
// profiles from production (a file, standard input or a live
// /debug/pprof URL), groups their goroutines by where they block, diffs
// two snapshots, joins the groups to leakvet's static findings by
// position, and renders the result as text, JSON, SARIF or a
// self-contained HTML page.
//
// It reads four forms, detected from the data and not from a name:
//
//   - the protobuf profiles "goroutine" and Go 1.26's "goroutineleak"
//     (github.com/google/pprof/profile), gzipped or not;
//   - the debug=2 text dump, a SIGQUIT or panic traceback (parsed here:
//     see text.go for why not by a library);
//   - the debug=1 grouped text form, parsed here (see debug1.go).
//
// Text is read streaming: goroutines are folded into their group as they
// are read, so a dump of a million goroutines needs memory for its groups,
// not for its goroutines.
//
// It does not load or analyze packages itself: the join runs the passes
// through package driver, as verify does, and the SARIF is written through
// package report.
package dump
