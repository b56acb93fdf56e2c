// Package report owns what leakvet says about its findings once the passes
// have run: the findings model (one finding per diagnostic, however many
// package variants report it), the keys and fingerprints that identify a
// finding across edits, baseline files, the four output formats (text,
// json, sarif, github), the documentation of a pass as help and SARIF rules
// show it, and how file names are shortened in output.
//
// It does not load or analyze packages, parse flags or choose exit codes
// (package driver), and knows nothing of tests and runtime leaks (package
// verify, which builds on its SARIF writer).
package report
