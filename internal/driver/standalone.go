package driver

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/leakvet/leakvet/internal/report"
)

// A Job is one standalone analysis: patterns loaded in Dir with Env, and
// how to shorten the file names it prints.
type Job struct {
	Dir      string       // absolute directory the patterns are relative to
	Env      []string     // environment of the go command; nil for ours
	Patterns []string     // go/packages patterns, as the user gave them
	Paths    report.Paths // how file names under Dir are printed
}

// NewJob returns the job of patterns in the command's directory.
func (c *Command) NewJob(patterns []string) (*Job, error) {
	dir := c.Dir
	if dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, fmt.Errorf("cannot determine the working directory: %v", err)
		}
		dir = wd
	}
	return &Job{Dir: dir, Patterns: patterns, Paths: report.NewPaths(dir, "./")}, nil
}

// check loads the job's packages, runs the selected passes on them and
// prints findings and errors. Packages that fail to load are reported and
// the others still analyzed; the exit code is the worst outcome.
func (c *Command) check(opts *Options, j *Job) (code int) {
	selected := opts.selected(c.Analyzers)
	guardPanics(selected, nil)

	// Bad -baseline and -o are reported before the slow part.
	var baseline report.Baseline
	if opts.baseline != "" {
		b, err := report.ReadBaseline(opts.baseline)
		if err != nil {
			c.Errorf("%v", err)
			return ExitFailure
		}
		baseline = b
	}
	out := c.Stdout
	if opts.output != "" {
		f, err := os.Create(opts.output)
		if err != nil {
			c.Errorf("cannot write the findings: %v", err)
			return ExitFailure
		}
		defer func() {
			if err := f.Close(); err != nil {
				c.Errorf("cannot write the findings: %v", err)
				code = ExitFailure
			}
		}()
		out = f
	}

	// Passes that use facts (directly or through what they Require, such as
	// buildssa -> ctrlflow) need every dependency from source, not just the
	// export data the go command gives for the initial packages.
	mode := packages.LoadSyntax
	if needFacts(selected) {
		mode = packages.LoadAllSyntax
	}
	roots, ok := c.load(mode|packages.NeedModule, opts.tests, j)
	code = ExitClean
	if !ok {
		code = ExitFailure
	}
	output := report.Output{Format: opts.format.name, Context: opts.context, Paths: j.Paths, Dir: j.Dir, Passes: selected}
	if len(roots) == 0 || len(selected) == 0 {
		if err := output.Write(out, &checker.Graph{}, nil); err != nil {
			c.Errorf("cannot write the findings: %v", err)
			return ExitFailure
		}
		return code
	}

	graph, err := checker.Analyze(selected, roots, nil)
	if err != nil {
		c.Errorf("%v", err)
		return ExitFailure
	}

	// Report each failed action once, at its cause: an action whose
	// prerequisite failed, or that was skipped because its package does not
	// type-check (already reported by load), adds nothing.
	var clean []*checker.Action
	for _, act := range graph.Roots {
		if act.Err == nil {
			clean = append(clean, act)
		}
	}
	var failed []*checker.Action
	for act := range graph.All() {
		if act.Err == nil || act.Package.IllTyped && !act.Analyzer.RunDespiteErrors {
			continue
		}
		if strings.HasPrefix(act.Err.Error(), "failed prerequisites:") {
			continue
		}
		failed = append(failed, act)
	}
	findings := report.Collect(clean)

	if opts.writeBaseline != "" {
		if err := report.WriteBaseline(opts.writeBaseline, findings); err != nil {
			c.Errorf("%v", err)
			return ExitFailure
		}
		c.Errorf("recorded %d findings in %s", len(findings), opts.writeBaseline)
		findings = nil
		for _, act := range clean {
			act.Diagnostics = nil
		}
	}
	if baseline != nil {
		findings = baseline.Apply(findings, clean)
	}

	// Only the roots that ran print: their dependencies all succeeded, so
	// the printers show diagnostics and no errors.
	if opts.writeBaseline == "" {
		if err := output.Write(out, &checker.Graph{Roots: clean}, findings); err != nil {
			c.Errorf("cannot write the findings: %v", err)
			return ExitFailure
		}
	}
	if len(findings) > 0 {
		code = max(code, ExitFindings)
	}
	if len(failed) > 0 {
		c.reportFailures(failed)
		code = ExitFailure
	}
	return code
}

// StaticFindings runs every pass on the job's packages and their tests,
// as verify needs, and returns their findings deduplicated and sorted as
// the standalone driver's. Problems loading the packages and passes that
// fail are reported on Stderr, and make ok false.
func (c *Command) StaticFindings(j *Job) (findings []*report.Finding, ok bool) {
	selected := c.Analyzers
	guardPanics(selected, nil)
	mode := packages.LoadSyntax
	if needFacts(selected) {
		mode = packages.LoadAllSyntax
	}
	roots, ok := c.load(mode|packages.NeedModule, true, j)
	if len(roots) == 0 {
		return nil, ok
	}
	graph, err := checker.Analyze(selected, roots, nil)
	if err != nil {
		c.Errorf("%v", err)
		return nil, false
	}
	var clean, failed []*checker.Action
	for _, act := range graph.Roots {
		if act.Err != nil {
			failed = append(failed, act)
		} else {
			clean = append(clean, act)
		}
	}
	if len(failed) > 0 {
		c.reportFailures(failed)
		ok = false
	}
	return report.Collect(clean), ok
}

// reportFailures prints one line per failed action; for a panic, the stack
// too with -debug, or else how to get it.
func (c *Command) reportFailures(failed []*checker.Action) {
	panicked := false
	seen := make(map[string]bool) // a package and its test variant fail alike
	for _, act := range failed {
		var p *panicError
		msg := fmt.Sprintf("pass %s failed on package %s: %s", act.Analyzer.Name, act.Package.PkgPath, oneLine(act.Err.Error()))
		if errors.As(act.Err, &p) {
			panicked = true
			msg = p.Error()
		}
		if seen[msg] {
			continue
		}
		seen[msg] = true
		c.Errorf("%s", msg)
		if p != nil && c.Debug {
			c.Stderr.Write(p.stack)
		}
	}
	if panicked && !c.Debug {
		c.Errorf("run with -debug (or %s=1) for the stack, and please report it", DebugEnv)
	}
}

// load loads the job's packages and reports, one line per problem, every
// error in them and their dependencies and every pattern that matched
// nothing. It returns the initial packages that can be analyzed, and
// whether there were no problems.
func (c *Command) load(mode packages.LoadMode, tests bool, j *Job) ([]*packages.Package, bool) {
	cfg := &packages.Config{Mode: mode, Dir: j.Dir, Env: j.Env, Tests: tests}
	pkgs, err := packages.Load(cfg, j.Patterns...)
	if err != nil {
		// The go command failed as a whole: go/packages wraps its stderr
		// as "err: exit status 1: stderr: go: ...".
		msg := goCommandFailure.ReplaceAllString(err.Error(), "")
		for _, line := range ErrorLines(msg) {
			c.Errorf("%s", j.Paths.Anywhere(line))
		}
		return nil, false
	}

	var problems []string
	seen := make(map[string]bool)
	report := func(msg string) {
		for _, line := range ErrorLines(msg) {
			line = j.Paths.Anywhere(line)
			if !seen[line] {
				seen[line] = true
				problems = append(problems, line)
			}
		}
	}
	patternSet := make(map[string]bool)
	for _, p := range j.Patterns {
		patternSet[p] = true
	}
	reportedModules := make(map[*packages.Module]bool)
	for pkg := range packages.Postorder(pkgs) {
		hasSourceErrors := len(pkg.TypeErrors) > 0
		for _, e := range pkg.Errors {
			if e.Kind == packages.ParseError {
				hasSourceErrors = true
			}
		}
		for _, e := range pkg.Errors {
			switch {
			case e.Kind == packages.ListError && hasSourceErrors && strings.HasPrefix(e.Msg, "# "):
				// The go command's compiler output for the parse and
				// type errors go/packages already gives one by one.
				continue
			case patternSet[pkg.ID] && len(pkg.GoFiles) == 0 && isNotFound(e):
				report(fmt.Sprintf("pattern %s matched no packages (no such directory)", pkg.ID))
				continue
			}
			if e.Pos == "" {
				report(e.Msg)
			} else {
				report(e.Pos + ": " + e.Msg)
			}
		}
		if m := pkg.Module; m != nil && m.Error != nil && !reportedModules[m] {
			reportedModules[m] = true
			report(m.Error.Err)
		}
	}
	unmatched := unmatchedPatterns(j.Dir, j.Patterns, pkgs)
	if len(unmatched) > 0 {
		why := ""
		if !inModule(j.Dir, j.Env) {
			why = fmt.Sprintf(": %s is not in a Go module (no go.mod there or in any parent directory)", j.Dir)
		}
		for _, p := range unmatched {
			report(fmt.Sprintf("pattern %s matched no packages%s", p, why))
		}
	}
	for _, p := range problems {
		c.Errorf("%s", p)
	}

	var roots []*packages.Package
	for _, pkg := range pkgs {
		if !pkg.IllTyped && pkg.Types != nil && !isTestMain(pkg) {
			roots = append(roots, pkg)
		}
	}
	return roots, len(problems) == 0
}

// isTestMain reports whether pkg is the main package the go command
// generates to run a package's tests (ID "p.test", its one file in the build
// cache): nobody's code, so not analyzed, as go vet does not.
func isTestMain(pkg *packages.Package) bool {
	if pkg.Name != "main" || !strings.HasSuffix(pkg.ID, ".test") || len(pkg.GoFiles) == 0 {
		return false
	}
	for _, f := range pkg.GoFiles {
		if filepath.Dir(f) == pkg.Dir {
			return false
		}
	}
	return true
}

var goCommandFailure = regexp.MustCompile(`^err: exit status \d+: stderr: `)

// isNotFound reports whether e is the go command's complaint about a
// directory pattern naming a directory that does not exist.
func isNotFound(e packages.Error) bool {
	return e.Kind == packages.ListError &&
		(strings.Contains(e.Msg, "directory not found") || strings.Contains(e.Msg, "no such file or directory"))
}

// ErrorLines turns one error message, which may span lines (a go command
// error with a "# pkg" header, or "to add it:\n\tgo get ..."), into one
// line per problem: indented lines and lines after a trailing colon
// continue the line before.
func ErrorLines(msg string) []string {
	var out []string
	for line := range strings.SplitSeq(msg, "\n") {
		text := strings.TrimSpace(line)
		if text == "" || strings.HasPrefix(text, "# ") {
			continue
		}
		if n := len(out); n > 0 && (strings.HasSuffix(out[n-1], ":") || line[0] == ' ' || line[0] == '\t') {
			out[n-1] += " " + text
			continue
		}
		out = append(out, text)
	}
	return out
}

// unmatchedPatterns returns the patterns that matched no package, which go
// list only warns about (and go/packages drops). Patterns it cannot judge
// (std, all, queries such as file=, lists of .go files) count as matched.
func unmatchedPatterns(dir string, patterns []string, pkgs []*packages.Package) []string {
	var out []string
	for _, pattern := range patterns {
		if !patternMatched(dir, pattern, pkgs) {
			out = append(out, pattern)
		}
	}
	return out
}

func patternMatched(dir, pattern string, pkgs []*packages.Package) bool {
	switch pattern {
	case "std", "cmd", "all", "tool", "work":
		return true
	}
	if strings.Contains(pattern, "=") || strings.HasSuffix(pattern, ".go") {
		return true
	}
	for _, pkg := range pkgs {
		if pkg.ID == pattern {
			return true // a package for the pattern itself, with its error
		}
	}

	if isLocalPattern(pattern) {
		root := pattern
		if !filepath.IsAbs(root) {
			root = filepath.Join(dir, root)
		}
		root, tree := strings.CutSuffix(root, string(filepath.Separator)+"...")
		if strings.Contains(root, "...") {
			return true // a wildcard inside a name: not checked
		}
		realRoot := report.RealPath(root)
		for _, pkg := range pkgs {
			if pkg.Dir == "" {
				continue
			}
			for _, r := range []string{root, realRoot} {
				for _, d := range []string{pkg.Dir, report.RealPath(pkg.Dir)} {
					if d == r || tree && strings.HasPrefix(d, r+string(filepath.Separator)) {
						return true
					}
				}
			}
		}
		return false
	}

	re := regexp.QuoteMeta(pattern)
	re = strings.ReplaceAll(re, `\.\.\.`, `.*`)
	if rest, ok := strings.CutSuffix(re, `/.*`); ok {
		re = rest + `(/.*)?` // x/... matches x itself
	}
	match := regexp.MustCompile("^" + re + "$")
	for _, pkg := range pkgs {
		if match.MatchString(pkg.PkgPath) {
			return true
		}
	}
	return false
}

func isLocalPattern(p string) bool {
	return p == "." || p == ".." || strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") || filepath.IsAbs(p)
}

// inModule reports whether the go command, run in dir, finds a main module.
// It only refines an error message, so when in doubt it says yes.
func inModule(dir string, env []string) bool {
	cmd := exec.Command("go", "env", "GOMOD")
	cmd.Dir = dir
	cmd.Env = env
	out, err := cmd.Output()
	if err != nil {
		return true
	}
	gomod := strings.TrimSpace(string(out))
	return gomod != "" && gomod != os.DevNull
}

// needFacts reports whether any analyzer in the Requires closure of
// analyzers uses facts, which requires loading every package from source.
// (The same test as x/tools' go/analysis/internal/checker.)
func needFacts(analyzers []*analysis.Analyzer) bool {
	return slices.ContainsFunc(requiresClosure(analyzers), func(a *analysis.Analyzer) bool { return len(a.FactTypes) > 0 })
}
