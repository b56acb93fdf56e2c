package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
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

// A testPackage is a package whose tests verify runs, from go list.
type testPackage struct {
	ImportPath   string
	Dir          string
	Name         string
	TestGoFiles  []string
	XTestGoFiles []string
	Module       *struct{ Path, Dir string }
	Error        *struct{ Err string }

	unverified string // why its leaks cannot be collected, if so
	injectMain bool   // verify adds a TestMain through the overlay
}

// listTestPackages lists the packages of the job's patterns with go list
// and decides, for each with tests, how to collect its leaks.
func listTestPackages(j *driver.Job) ([]*testPackage, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Dir,Name,TestGoFiles,XTestGoFiles,Module,Error"}, j.Patterns...)
	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = j.Dir, j.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %s", strings.TrimSpace(stderr.String()))
	}
	var pkgs []*testPackage
	var problems []string
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		p := new(testPackage)
		if err := dec.Decode(p); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		if p.Error != nil {
			problems = append(problems, p.Error.Err)
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) > 0 {
			classify(p)
		}
		pkgs = append(pkgs, p)
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	return pkgs, nil
}

// classify decides how verify collects the leaks of p: through the
// package's own TestMain if it calls leakcheck, through an injected one if
// it has none, and not at all otherwise (p.unverified says what to add).
func classify(p *testPackage) {
	if p.Module == nil || p.Module.Dir == "" {
		p.unverified = "not in a module: verify injects its check as a package of the module"
		return
	}
	fset := token.NewFileSet()
	for _, name := range slices.Concat(p.TestGoFiles, p.XTestGoFiles) {
		path := filepath.Join(p.Dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			continue // the build reports it
		}
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Recv != nil || fn.Name.Name != "TestMain" {
				continue
			}
			for _, imp := range f.Imports {
				if imp.Path.Value == `"`+leakcheckPath+`"` {
					return // it runs leakcheck itself, which writes the records verify asks for
				}
			}
			pos := fset.Position(fn.Pos())
			p.unverified = fmt.Sprintf("its TestMain (%s:%d) runs the tests itself; to verify it, "+
				"go get %s and end TestMain with leakcheck.Main(m) in place of os.Exit(m.Run())",
				pos.Filename, pos.Line, leakcheckPath)
			return
		}
	}
	p.injectMain = true
}

const leakcheckPath = "github.com/leakvet/leakvet/leakcheck"

// InjectedPackageDir is the directory, relative to a module's root, of the
// package the overlay adds to the module: leakcheck's own source. Its
// leading underscore keeps it out of ./... patterns, should anything else
// see it. Nothing is written there: the overlay only makes the go command
// see it.
const InjectedPackageDir = "_leakvetcheck"

// writeOverlay writes the go test -overlay file that gives each package
// without a TestMain one calling leakcheck.Main, and adds leakcheck itself
// as a package of each tested module. That way the test binary imports
// leakcheck from its own module: no go.mod, go.work or GOFLAGS of the
// user's is changed, and the check is leakcheck's real code, not a copy.
// It returns "" when no package needs it.
func writeOverlay(tmp string, pkgs []*testPackage) (string, error) {
	replace := make(map[string]string)
	src := leakcheck.Source()
	files, err := fs.Glob(src, "*.go")
	if err != nil {
		return "", err
	}
	for i, p := range pkgs {
		if !p.injectMain {
			continue
		}
		modDir := p.Module.Dir
		if _, err := os.Stat(filepath.Join(modDir, InjectedPackageDir)); err == nil {
			return "", fmt.Errorf("%s already exists: verify needs that name for its injected package", filepath.Join(modDir, InjectedPackageDir))
		}
		for _, name := range files {
			target := filepath.Join(modDir, InjectedPackageDir, name)
			if _, done := replace[target]; done {
				continue
			}
			data, err := fs.ReadFile(src, name)
			if err != nil {
				return "", err
			}
			backing := filepath.Join(tmp, "leakcheck", fmt.Sprintf("%d-%s", i, name))
			if err := writeNewFile(backing, data); err != nil {
				return "", err
			}
			replace[target] = backing
		}

		pkgName := p.Name
		if len(p.TestGoFiles) == 0 {
			pkgName += "_test" // only external tests: TestMain goes there
		}
		main := fmt.Sprintf(`// Code generated by leakvet verify; DO NOT EDIT.

package %s

import (
	leakvetcheck %q
	leakvettesting "testing"
)

func TestMain(m *leakvettesting.M) { leakvetcheck.Main(m) }
`, pkgName, p.Module.Path+"/"+InjectedPackageDir)
		backing := filepath.Join(tmp, "main", fmt.Sprintf("%d_test.go", i))
		if err := writeNewFile(backing, []byte(main)); err != nil {
			return "", err
		}
		replace[filepath.Join(p.Dir, "zz_leakvet_testmain_test.go")] = backing
	}
	if len(replace) == 0 {
		return "", nil
	}
	data, err := json.Marshal(map[string]any{"Replace": replace})
	if err != nil {
		return "", err
	}
	name := filepath.Join(tmp, "overlay.json")
	return name, os.WriteFile(name, data, 0o644)
}

func writeNewFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// qemuArchs maps each GOARCH verify can run to qemu-user's name for it (a
// function, not a variable: no package state).
func qemuArchs() map[string]string {
	return map[string]string{
		"amd64": "x86_64", "arm64": "aarch64", "386": "i386", "arm": "arm",
		"riscv64": "riscv64", "ppc64le": "ppc64le", "s390x": "s390x",
	}
}

// QemuArch returns qemu-user's name for the architecture goarch
// ("aarch64" for arm64), or "" if verify cannot run goarch.
func QemuArch(goarch string) string {
	return qemuArchs()[goarch]
}

func knownArchs() []string {
	var out []string
	for a := range qemuArchs() {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// Emulator returns the program go test -exec should run the tests of arch
// with: none for the host's own, qemu-user for the others, and an error
// saying what to install when qemu-user for arch is not on PATH.
func Emulator(arch string) (string, error) {
	if arch == runtime.GOARCH {
		return "", nil
	}
	q := QemuArch(arch)
	for _, name := range []string{"qemu-" + q + "-static", "qemu-" + q} {
		if path, err := exec.LookPath(name); err == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%s: qemu-%s-static not found on PATH (Debian: apt-get install qemu-user-static), so %s is not run", arch, q, arch)
}

// A testEvent is one line of go test -json (test2json's event), or of the
// build output go test -json interleaves with them.
type testEvent struct {
	Action     string
	Package    string
	ImportPath string // of build output
	Test       string
	Output     string
}

// runTests runs the tests of pkgs for arch and returns the leaks recorded,
// and whether verify failed to run them (a build failure). Failing tests
// are reported but do not count: their leaks are still recorded.
func runTests(c *driver.Command, j *driver.Job, arch, execProg, overlay string, pkgs []*testPackage, tmp string) ([]leakcheck.Leak, bool) {
	sink := filepath.Join(tmp, "leaks-"+arch+".jsonl")
	args := []string{"test", "-json", "-count=1", "-vet=off", "-trimpath=false"}
	if overlay != "" {
		args = append(args, "-overlay="+overlay)
	}
	if execProg != "" {
		args = append(args, "-exec="+execProg)
	}
	for _, p := range pkgs {
		args = append(args, p.ImportPath)
	}
	env := j.Env
	if env == nil {
		env = os.Environ()
	}
	experiment := "goroutineleakprofile"
	if prev := os.Getenv("GOEXPERIMENT"); prev != "" {
		experiment = prev + "," + experiment
	}
	env = append(slices.Clip(env), "GOEXPERIMENT="+experiment, "GOARCH="+arch,
		leakcheck.JSONEnv+"="+sink, "LEAKCHECK_ARCH="+arch)

	cmd := exec.Command("go", args...)
	cmd.Dir, cmd.Env = j.Dir, env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, runErr := cmd.Output()

	failedBuild := false
	status := make(map[string]string)
	output := make(map[string]*strings.Builder)
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		pkg := ev.Package
		if pkg == "" {
			pkg = ev.ImportPath
		}
		switch ev.Action {
		case "build-output", "output":
			if output[pkg] == nil {
				output[pkg] = new(strings.Builder)
			}
			output[pkg].WriteString(ev.Output)
		case "build-fail":
			failedBuild = true
		case "pass", "fail", "skip":
			if ev.Test == "" {
				status[pkg] = ev.Action
			}
		}
	}
	for _, p := range pkgs {
		if status[p.ImportPath] != "fail" {
			continue
		}
		text := ""
		if b := output[p.ImportPath]; b != nil {
			text = b.String()
		}
		if strings.Contains(text, "[build failed]") || strings.Contains(text, "[setup failed]") {
			failedBuild = true
			continue
		}
		c.Errorf("verify: %s: tests of %s failed; the leaks they left are still reported", arch, p.ImportPath)
	}
	if failedBuild || runErr != nil && len(status) == 0 {
		c.Errorf("verify: %s: go test could not build or run the tests:", arch)
		for line := range strings.Lines(stderr.String()) {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "FAIL") {
				c.Errorf("%s", j.Paths.Anywhere(line))
			}
		}
		for pkg, b := range output {
			if status[pkg] == "fail" || status[pkg] == "" {
				for _, line := range driver.ErrorLines(b.String()) {
					if !strings.HasPrefix(line, "FAIL") && !strings.HasPrefix(line, "ok ") {
						c.Errorf("%s", j.Paths.Anywhere(line))
					}
				}
			}
		}
		return nil, true
	}

	data, err := os.ReadFile(sink)
	if err != nil && !os.IsNotExist(err) {
		c.Errorf("verify: %v", err)
		return nil, true
	}
	var leaks []leakcheck.Leak
	for line := range bytes.Lines(data) {
		var l leakcheck.Leak
		if err := json.Unmarshal(line, &l); err != nil {
			c.Errorf("verify: %s: a bad leak record: %v", arch, err)
			return nil, true
		}
		leaks = append(leaks, l)
	}
	return leaks, false
}
