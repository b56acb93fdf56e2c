package dump

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/leakvet/leakvet/internal/driver"
	"github.com/leakvet/leakvet/internal/report"
)

const dumpUsage = `Usage: leakvet dump [flags] SOURCE [SOURCE2]

dump reads goroutine dumps and profiles of a running program, groups the
goroutines by where they block, and with -src joins the groups to
leakvet's static findings on the program's source.

A SOURCE is a file, - for standard input, or an http(s) URL such as
http://host:6060/debug/pprof/goroutine?debug=2. Its form is detected from
the data, gzipped or not:

  goroutine or goroutineleak profile   protobuf (/debug/pprof/goroutine, .../goroutineleak)
  debug=2 text                         /debug/pprof/goroutine?debug=2, a SIGQUIT or panic traceback
  debug=1 text                         /debug/pprof/goroutine?debug=1 ("goroutine profile: total N")

Goroutines are grouped by their blocking frame (the first frame outside
the standard library), wait reason and "created by" go statement; each
group has a count, the minutes blocked (text dumps only) and whether
Go 1.26's goroutineleak profile (or a "(leaked)" wait reason) proved it
leaked. Groups are sorted by count x (max minutes + 1).

Two snapshots: 'leakvet dump OLD NEW', or '-every 30s -n 3 URL' (polls the
URL n times): the groups of the last, with their growth since the first;
growing groups first, new ones marked. Compare snapshots of one form: text
dumps record wait reasons and go statements, profiles do not.

The join (-src PATTERNS runs leakvet's passes on those packages): a group
is "predicted" by a finding when its blocking frame or go statement is at
the finding's position or a related one (same file, same line), or else,
for line drift, in the same file and the same top-level function as the
finding; files are compared by their path relative to their module root,
as a suffix of the dump's path. Other groups are "not predicted"; a
finding with a group is "observed", one without "not observed".

Formats: text (a table), json (the Report schema), sarif (SARIF 2.1.0: a
result per predicted, growing or proven group, the finding and the go
statement as related locations) and html (one self-contained page: a bar
chart of the top groups and their growth, the table, expandable stacks).

Flags:

`

const dumpExit = `
Exit status: 0 the dumps were read and show no leak: no group predicted,
growing or proven; 1 a group predicted by a static finding (with -src), a
group that grew between the snapshots, or goroutines proven leaked (the
goroutineleak profile, or "(leaked)" in a text dump); 2 dump could not do
its job (a bad flag, a source that cannot be read or is not a goroutine
dump, a package that does not load).
`

// options are the flags of 'leakvet dump'.
type options struct {
	format  string
	output  string
	src     string
	top     int
	every   time.Duration
	n       int
	timeout time.Duration
}

func parseFlags(args []string) (*options, *flag.FlagSet, error) {
	o := &options{}
	fs := flag.NewFlagSet("leakvet dump", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&o.format, "format", "text", "report `format`: text, json, sarif (SARIF 2.1.0) or html (one self-contained page)")
	fs.StringVar(&o.output, "o", "", "write the report to `file` instead of standard output")
	fs.StringVar(&o.src, "src", "", "run leakvet's passes on these comma-separated package `patterns` (e.g. ./...) and join their findings to the groups")
	fs.IntVar(&o.top, "top", 25, "list the first `n` groups (0 for all); the summary and exit status count them all")
	fs.DurationVar(&o.every, "every", 0, "poll the URL every `duration`, -n times, and diff the first snapshot with the last")
	fs.IntVar(&o.n, "n", 2, "with -every: the number of snapshots")
	fs.DurationVar(&o.timeout, "timeout", time.Minute, "give up on a URL after this `duration`")
	if err := fs.Parse(args); err != nil {
		return o, fs, err
	}
	switch o.format {
	case "text", "json", "sarif", "html":
	default:
		return o, fs, fmt.Errorf("invalid value %q for flag -format: want text, json, sarif or html", o.format)
	}
	rest := fs.Args()
	for _, a := range rest {
		if strings.HasPrefix(a, "-") && a != "-" {
			return o, fs, fmt.Errorf("flag %s after the sources: flags must come before them", a)
		}
	}
	switch {
	case len(rest) == 0:
		return o, fs, errors.New("no source: name a dump file, - for standard input, or a /debug/pprof URL")
	case len(rest) > 2:
		return o, fs, errors.New("too many sources: give one, or two to diff")
	case len(rest) == 2 && rest[0] == "-" && rest[1] == "-":
		return o, fs, errors.New("standard input can be read once only")
	}
	if o.every < 0 || o.top < 0 || o.timeout <= 0 {
		return o, fs, errors.New("-every, -top and -timeout cannot be negative")
	}
	if o.every > 0 {
		if len(rest) != 1 || !isURL(rest[0]) {
			return o, fs, errors.New("-every polls one URL: leakvet dump -every 30s -n 3 http://host/debug/pprof/goroutine")
		}
		if o.n < 2 {
			return o, fs, fmt.Errorf("-n %d: polling needs at least 2 snapshots", o.n)
		}
	}
	return o, fs, nil
}

// Help prints the help text of 'leakvet dump': its inputs, outputs, the
// join rule, its flags and exit codes.
func Help(w io.Writer) {
	_, fs, _ := parseFlags(nil)
	help(w, fs)
}

func help(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprint(w, dumpUsage)
	fs.SetOutput(w)
	fs.PrintDefaults()
	fmt.Fprint(w, dumpExit)
}

// Run implements 'leakvet dump' with args, the arguments after "dump",
// and returns the exit code. The report goes to c.Stdout (or -o), errors
// and, on a terminal, progress to c.Stderr.
func Run(c *driver.Command, args []string) int {
	opts, fs, err := parseFlags(args)
	if err != nil {
		if err == flag.ErrHelp {
			help(c.Stdout, fs)
			return driver.ExitClean
		}
		c.Errorf("dump: %v", err)
		fmt.Fprintln(c.Stderr, "run 'leakvet dump -h' for usage")
		return driver.ExitFailure
	}
	in := &inputs{stdin: os.Stdin, client: &http.Client{Timeout: opts.timeout}, progress: progressWriter(c.Stderr)}

	var snaps []*Snapshot
	sources := fs.Args()
	if opts.every > 0 {
		for i := range opts.n {
			if i > 0 {
				in.progressf("waiting %v for snapshot %d of %d", opts.every, i+1, opts.n)
				time.Sleep(opts.every)
			}
			s, err := in.read(sources[0])
			if err != nil {
				in.done()
				c.Errorf("dump: %v", err)
				return driver.ExitFailure
			}
			snaps = append(snaps, s)
		}
	} else {
		for _, src := range sources {
			s, err := in.read(src)
			if err != nil {
				in.done()
				c.Errorf("dump: %v", err)
				return driver.ExitFailure
			}
			snaps = append(snaps, s)
		}
	}
	in.done()

	if first, last := snaps[0], snaps[len(snaps)-1]; first.Form != last.Form {
		c.Errorf("dump: warning: diffing a %s with a %s: groups are keyed by wait reason and go statement, which not every form records; compare snapshots of one form",
			first.Form, last.Form)
	}
	rep := newReport(snaps)
	code := driver.ExitClean
	root := ""
	if opts.src != "" {
		var patterns []string
		for p := range strings.SplitSeq(opts.src, ",") {
			if p = strings.TrimSpace(p); p != "" {
				patterns = append(patterns, p)
			}
		}
		j, err := c.NewJob(patterns)
		if err != nil {
			c.Errorf("dump: %v", err)
			return driver.ExitFailure
		}
		in.progressf("running leakvet's passes on %s", strings.Join(patterns, " "))
		findings, ok := c.StaticFindings(j)
		in.done()
		if !ok {
			code = driver.ExitFailure
		}
		rep.join(findings, j.Paths)
		root = report.SourceRoot(j.Dir)
	}
	if code == driver.ExitClean && rep.leaky() {
		code = driver.ExitFindings
	}
	rep.top(opts.top)

	var buf bytes.Buffer
	switch opts.format {
	case "json":
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "\t")
		err = enc.Encode(rep)
	case "sarif":
		if root == "" {
			root, _ = os.Getwd()
		}
		err = writeSARIF(&buf, c.Analyzers, rep, root)
	case "html":
		err = writeHTML(&buf, rep)
	default:
		err = rep.printText(&buf)
	}
	if err != nil {
		c.Errorf("dump: writing the %s report: %v", opts.format, err)
		return driver.ExitFailure
	}
	if opts.output != "" {
		if err := os.WriteFile(opts.output, buf.Bytes(), 0o644); err != nil {
			c.Errorf("dump: %v", err)
			return driver.ExitFailure
		}
	} else if _, err := c.Stdout.Write(buf.Bytes()); err != nil {
		c.Errorf("dump: %v", err)
		return driver.ExitFailure
	}
	return code
}

// inputs opens sources: files, standard input and URLs.
type inputs struct {
	stdin    io.Reader
	client   *http.Client
	progress io.Writer // nil: quiet
	shown    bool      // a progress line is on screen
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// read reads and groups one source.
func (in *inputs) read(name string) (*Snapshot, error) {
	var r io.Reader
	switch {
	case name == "-":
		r = in.stdin
	case isURL(name):
		in.progressf("fetching %s", name)
		resp, err := in.client.Get(name)
		if err != nil {
			var uerr interface{ Timeout() bool }
			if errors.As(err, &uerr) && uerr.Timeout() {
				return nil, fmt.Errorf("%s: no answer within -timeout", name)
			}
			return nil, fmt.Errorf("%s: %v", name, oneLine(errors.Unwrap(err).Error()))
		}
		defer resp.Body.Close()
		if resp.StatusCode < 200 || resp.StatusCode > 299 {
			return nil, fmt.Errorf("%s: HTTP %s: expected a goroutine dump or profile", name, resp.Status)
		}
		if ct, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); ct == "text/html" {
			return nil, fmt.Errorf("%s: an HTML page, not a goroutine dump: expected a /debug/pprof/goroutine or goroutineleak URL (with ?debug=1, ?debug=2 or none)", name)
		}
		r = resp.Body
	default:
		f, err := os.Open(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, errors.Unwrap(err))
		}
		defer f.Close()
		r = f
	}
	var progress func(int)
	if in.progress != nil {
		progress = func(n int) { in.progressf("%s: parsed %d goroutines", name, n) }
	}
	s, err := Parse(r, name, progress)
	if err == nil {
		in.progressf("%s: parsed %d goroutines in %d groups (%s)", name, s.Goroutines, len(s.groups), s.Form)
	}
	return s, err
}

// progressWriter returns w if it is a terminal, else nil: progress is
// for people watching, not for logs.
func progressWriter(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok {
		return nil
	}
	st, err := f.Stat()
	if err != nil || st.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return w
}

// progressf replaces the progress line on the terminal.
func (in *inputs) progressf(format string, args ...any) {
	if in.progress == nil {
		return
	}
	fmt.Fprintf(in.progress, "\r\033[K"+format, args...)
	in.shown = true
}

// done clears the progress line.
func (in *inputs) done() {
	if in.progress != nil && in.shown {
		fmt.Fprint(in.progress, "\r\033[K")
		in.shown = false
	}
}
