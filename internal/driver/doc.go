// Package driver runs leakvet's passes on packages: standalone over
// go/packages patterns (with -fix and -diff through x/tools' fix
// application), under go vet through the unitchecker protocol, and on the
// built-in example module. It owns the command line of those runs (flags,
// -h text, exit codes, the one-line error messages) and the guard that
// turns a pass's panic into one of those errors.
//
// It does not decide what a finding looks like in print or in a baseline
// (package report, which it hands the findings to), does not run tests
// (package verify, which uses its Command and Job to load and analyze),
// and does not hold the example module's files: those are embedded by
// cmd/leakvet, beside the testdata the README and CI point users to, and
// handed in as Command.Example.
package driver
