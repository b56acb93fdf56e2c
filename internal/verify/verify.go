package verify

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"

	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
	"github.com/leakvet/leakvet/leakcheck"
)

const verifyUsage = `Usage: leakvet verify [flags] [packages]

verify runs the tests of the packages (default ".") with leak checking, runs
leakvet's passes on the same packages, and joins the two by position:

  confirmed     a static finding whose goroutine leaked in a test: a leaked
                goroutine blocks at the finding's operation, or was started
                by its go statement (or at one of its related positions)
  missed        a goroutine leaked by a test that no finding predicted
  not observed  a finding that no test made leak (not exercised, or a leak
                with no goroutine to see, such as a lost cancel function)

The tests are built with GOEXPERIMENT=goroutineleakprofile, so the GC proves
which goroutines can never wake ("proven"); the others still alive after a
grace period are "suspected". The tests need no edit: for a package without
a TestMain, verify adds one through go test -overlay that runs leakcheck
(github.com/leakvet/leakvet/leakcheck) compiled as a package of the tested
module, so its go.mod needs no new requirement. A package with its own
TestMain is not verified unless that TestMain calls leakcheck.Main; verify
says what to add.

With -arch, the tests run once per architecture: natively for the host's,
under qemu-user (qemu-ARCH-static or qemu-ARCH on PATH) for the others. A
leak seen on some architectures only is shown as such.

Flags:

`

const verifyExit = `
Exit status: 0 no leak, 1 a confirmed finding or a missed leak, 2 verify
could not do its job (a bad flag, a package that does not load or build).
Failing tests are reported on stderr but do not change the status.
`

// options are the flags of 'leakvet verify'.
type options struct {
	archs  []string
	format string // text, json or sarif
}

func parseFlags(args []string) (*options, *flag.FlagSet, error) {
	opts := &options{}
	fs := flag.NewFlagSet("leakvet verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	arch := fs.String("arch", runtime.GOARCH, "run the tests on these comma-separated `architectures` (e.g. amd64,arm64)")
	jsonOut := fs.Bool("json", false, "print the report as JSON (same as -format=json)")
	fs.StringVar(&opts.format, "format", "text", "report `format`: text, json or sarif (SARIF 2.1.0)")
	err := fs.Parse(args)
	if err != nil {
		return opts, fs, err
	}
	if *jsonOut {
		if opts.format != "text" && opts.format != "json" {
			return opts, fs, fmt.Errorf("-json cannot be combined with -format=%s", opts.format)
		}
		opts.format = "json"
	}
	switch opts.format {
	case "text", "json", "sarif":
	default:
		return opts, fs, fmt.Errorf("invalid value %q for flag -format: want text, json or sarif", opts.format)
	}
	for a := range strings.SplitSeq(*arch, ",") {
		a = strings.TrimSpace(a)
		if QemuArch(a) == "" {
			return opts, fs, fmt.Errorf("invalid value %q for flag -arch: want a comma-separated list of %s", *arch, strings.Join(knownArchs(), ", "))
		}
		if !slices.Contains(opts.archs, a) {
			opts.archs = append(opts.archs, a)
		}
	}
	return opts, fs, nil
}

// Help prints the help text of 'leakvet verify': how it joins, its flags
// and its exit codes.
func Help(w io.Writer) {
	_, fs, _ := parseFlags(nil)
	help(w, fs)
}

func help(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, verifyUsage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, verifyExit)
}

// Run implements 'leakvet verify' with args, the arguments after
// "verify", and returns the exit code. It prints the report on c.Stdout and
// errors on c.Stderr.
func Run(c *driver.Command, args []string) int {
	opts, fs, err := parseFlags(args)
	if err != nil {
		if err == flag.ErrHelp {
			help(c.Stdout, fs)
			return driver.ExitClean
		}
		c.Errorf("verify: %v", err)
		fmt.Fprintln(c.Stderr, "run 'leakvet verify -h' for usage")
		return driver.ExitFailure
	}
	patterns := fs.Args()
	for _, arg := range patterns {
		if strings.HasPrefix(arg, "-") {
			return c.UsageError(fmt.Sprintf("verify: flag %s after the package patterns: flags must come before them", arg))
		}
	}
	if len(patterns) == 0 {
		patterns = []string{"."}
	}
	j, err := c.NewJob(patterns)
	if err != nil {
		c.Errorf("%v", err)
		return driver.ExitFailure
	}

	code := driver.ExitClean
	pkgs, err := listTestPackages(j)
	if err != nil {
		for _, line := range driver.ErrorLines(err.Error()) {
			c.Errorf("%s", j.Paths.Anywhere(line))
		}
		return driver.ExitFailure
	}
	rep := &Report{Archs: opts.archs}
	var tested []*testPackage
	for _, p := range pkgs {
		switch {
		case p.unverified != "":
			rep.Unverified = append(rep.Unverified, Unverified{Package: p.ImportPath, Reason: j.Paths.Anywhere(p.unverified)})
		case len(p.TestGoFiles)+len(p.XTestGoFiles) > 0:
			tested = append(tested, p)
		}
	}

	findings, ok := staticFindings(c, j)
	if !ok {
		code = driver.ExitFailure
	}

	tmp, err := os.MkdirTemp("", "leakvet-verify-")
	if err != nil {
		c.Errorf("%v", err)
		return driver.ExitFailure
	}
	defer os.RemoveAll(tmp)
	overlay, err := writeOverlay(tmp, tested)
	if err != nil {
		c.Errorf("verify: %v", err)
		return driver.ExitFailure
	}

	leaks := make(map[string][]leakcheck.Leak)
	for _, arch := range opts.archs {
		if len(tested) == 0 {
			break
		}
		exec, err := Emulator(arch)
		if err != nil {
			c.Errorf("verify: %v", err)
			rep.Skipped = append(rep.Skipped, arch)
			continue
		}
		ls, failed := runTests(c, j, arch, exec, overlay, tested, tmp)
		if failed {
			code = driver.ExitFailure
			continue
		}
		leaks[arch] = ls
		rep.Ran = append(rep.Ran, arch)
	}
	if len(rep.Ran) == 0 && len(tested) > 0 {
		if len(rep.Skipped) == len(opts.archs) {
			c.Errorf("verify: no architecture could run the tests")
		}
		return driver.ExitFailure
	}

	rep.join(findings, leaks)
	rep.relativize(j.Paths)
	switch opts.format {
	case "json":
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "\t")
		if err := enc.Encode(rep); err != nil {
			c.Errorf("writing JSON: %v", err)
			return driver.ExitFailure
		}
	case "sarif":
		if err := writeSARIF(c.Stdout, c.Analyzers, rep, report.SourceRoot(j.Dir)); err != nil {
			c.Errorf("writing SARIF: %v", err)
			return driver.ExitFailure
		}
	default:
		rep.printText(c.Stdout)
	}
	if code == driver.ExitClean && rep.leaky() {
		code = driver.ExitFindings
	}
	return code
}

// A verifiedFinding is a static finding as verify reports it, with the
// positions a runtime leak may confirm it at.
type verifiedFinding struct {
	Pass     string   `json:"pass"`
	Category string   `json:"category,omitempty"`
	Posn     string   `json:"posn"`
	Message  string   `json:"message"`
	Related  []string `json:"related,omitempty"`

	lines  []fileLine      // Posn and Related
	static *report.Finding // what the SARIF output describes it by, as the normal run does
}

type fileLine struct {
	file string
	line int
}

// newVerifiedFinding describes f in the strings verify prints: positions
// as file:line:col, each related one followed by its message.
func newVerifiedFinding(f *report.Finding) *verifiedFinding {
	v := &verifiedFinding{
		Pass:     f.Pass.Name,
		Category: f.Category,
		Posn:     f.Pos.String(),
		Message:  f.Message,
		lines:    []fileLine{{f.Pos.Filename, f.Pos.Line}},
		static:   f,
	}
	for _, r := range f.Related {
		v.Related = append(v.Related, r.Pos.String()+": "+r.Message)
		v.lines = append(v.lines, fileLine{r.Pos.Filename, r.Pos.Line})
	}
	return v
}

// staticFindings runs every pass on the job's packages and their tests,
// and returns their findings deduplicated and sorted as the normal run's.
func staticFindings(c *driver.Command, j *driver.Job) ([]*verifiedFinding, bool) {
	findings, ok := c.StaticFindings(j)
	var out []*verifiedFinding
	for _, f := range findings {
		out = append(out, newVerifiedFinding(f))
	}
	return out, ok
}
