// Package verify implements 'leakvet verify': it runs the tests of
// packages with leak checking (github.com/leakvet/leakvet/leakcheck,
// injected through go test -overlay), natively and under qemu-user for
// other architectures, runs leakvet's passes on the same packages, and
// joins the two by position into confirmed findings, missed leaks and
// findings not observed. It owns that join, its flags and help, and its
// report in text, JSON and SARIF.
//
// It does not load or analyze packages itself (package driver, whose
// Command and Job it runs on), and writes SARIF through package report,
// so that a finding's rule, location and fingerprint are those of the
// normal run's SARIF.
package verify
