package dump

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/pprof/profile"
	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/report"
)

// record writes one goroutine of a debug=2 dump.
func textRecord(id int, state, fn, file string, line int, createdBy string, createdLine int) string {
	s := fmt.Sprintf("goroutine %d [%s]:\nruntime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n\t/usr/local/go/src/runtime/proc.go:462 +0xce\n"+
		"runtime.chansend1(0xc000012345?, 0x0?)\n\t/usr/local/go/src/runtime/chan.go:161 +0x17\n%s()\n\t%s:%d +0x45\n",
		id, state, fn, file, line)
	if createdBy != "" {
		s += fmt.Sprintf("created by %s in goroutine 1\n\t%s:%d +0x5f\n", createdBy, file, createdLine)
	}
	return s + "\n"
}

const (
	srvFile = "/build/src/example.com/svc/server/server.go"
)

func sampleText() string {
	var b strings.Builder
	b.WriteString("goroutine 1 [running]:\nmain.main()\n\t/build/src/example.com/svc/main.go:10 +0x1d\n\n")
	for i := range 5 {
		b.WriteString(textRecord(10+i, "chan send (leaked), 12 minutes", "example.com/svc/server.(*Server).fetch.func1", srvFile, 42, "example.com/svc/server.(*Server).fetch", 40))
	}
	b.WriteString(textRecord(20, "chan send, 3 minutes", "example.com/svc/server.(*Server).fetch.func1", srvFile, 42, "example.com/svc/server.(*Server).fetch", 40))
	b.WriteString(textRecord(30, "select", "example.com/svc/server.poll", srvFile, 77, "example.com/svc/server.Start", 70))
	return b.String()
}

const sampleDebug1 = `goroutine profile: total 6
4 @ 0x489f6e 0x4195bc 0x4191b7 0x674b8b 0x491681
# labels: {"worker":"a"}
#	0x674b8a	example.com/svc/server.(*Server).fetch.func1+0x4a	/build/src/example.com/svc/server/server.go:42

1 @ 0x489f6e 0x491681
#	0x674c38	example.com/svc/server.poll+0x18		/build/src/example.com/svc/server/server.go:77

1 @ 0x491681

`

func sampleProfile(t testing.TB, typ string) []byte {
	fn := &profile.Function{ID: 1, Name: "example.com/svc/server.(*Server).fetch.func1", Filename: srvFile}
	rt := &profile.Function{ID: 2, Name: "runtime.chansend1", Filename: "/usr/local/go/src/runtime/chan.go"}
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: typ, Unit: "count"}},
		PeriodType: &profile.ValueType{Type: typ, Unit: "count"},
		Period:     1,
		Function:   []*profile.Function{fn, rt},
		Location: []*profile.Location{
			{ID: 1, Address: 0x10, Line: []profile.Line{{Function: rt, Line: 161}}},
			{ID: 2, Address: 0x20, Line: []profile.Line{{Function: fn, Line: 42}}},
		},
	}
	p.Sample = []*profile.Sample{{Location: p.Location, Value: []int64{7}}}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil { // gzipped
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gz(data []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(data)
	w.Close()
	return buf.Bytes()
}

func parseString(t *testing.T, data string) *Snapshot {
	t.Helper()
	s, err := Parse(strings.NewReader(data), "src", nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestParseText(t *testing.T) {
	t.Parallel()
	sigquit := "SIGQUIT: quit\nPC=0x4931e1 m=0 sigcode=0\n\n" +
		"goroutine 0 gp=0xa30820 m=0 mp=0xa317c0 [idle]:\nruntime.futex(0xa31918, 0x80, 0x0, 0x0, 0x0, 0x0)\n\t/usr/local/go/src/runtime/sys_linux_amd64.s:569 +0x21 fp=0x7fff5ba9def8 sp=0x7fff5ba9def0 pc=0x4931e1\n\n" +
		sampleText() + "rax    0xca\nrbx    0x0\n"
	for name, data := range map[string]string{"debug2": sampleText(), "sigquit": sigquit, "gzip": string(gz([]byte(sampleText())))} {
		s := parseString(t, data)
		gs := s.Groups()
		if s.Form != FormText || s.Goroutines != 8 || len(gs) != 3 {
			t.Fatalf("%s: form %q, %d goroutines, %d groups", name, s.Form, s.Goroutines, len(gs))
		}
		g := gs[0]
		if g.Count != 6 || g.State != "chan send" || !g.Proven || *g.Age != (Age{3, 12}) ||
			g.Blocking != (Frame{"example.com/svc/server.(*Server).fetch.func1", srvFile, 42}) ||
			*g.CreatedBy != (Frame{"example.com/svc/server.(*Server).fetch", srvFile, 40}) || len(g.Stack) != 3 {
			t.Errorf("%s: first group %+v", name, g)
		}
	}
}

func TestParseDebug1AndProfiles(t *testing.T) {
	t.Parallel()
	s := parseString(t, sampleDebug1)
	gs := s.Groups()
	if s.Form != FormDebug1 || s.Goroutines != 6 || len(gs) != 3 || gs[0].Count != 4 || gs[0].Blocking.Line != 42 || gs[0].Age != nil || gs[0].CreatedBy != nil {
		t.Errorf("debug=1: %s %d %+v", s.Form, s.Goroutines, gs[0])
	}
	for typ, form := range map[string]string{"goroutine": FormProfile, "goroutineleak": FormLeak} {
		s := parseString(t, string(sampleProfile(t, typ)))
		g := s.Groups()[0]
		if s.Form != form || g.Count != 7 || g.State != "chan send" || g.Proven != (typ == "goroutineleak") || g.Blocking.Line != 42 {
			t.Errorf("%s: %s %+v", typ, s.Form, g)
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	text := sampleText()
	for _, c := range []struct{ data, want string }{
		{"", "src: empty"},
		{"<html><body>index</body></html>", "src: an HTML page"},
		{"hello\n", "src: no goroutine records"},
		{text[:strings.LastIndex(text, "created by")+12], "truncated goroutine record"},
		{text[:strings.LastIndex(text, "example.com/svc/server.poll()")+30], "truncated goroutine record"},
		{text + "some log line\n\n" + text, "not a mix"},
		{"goroutine 1 [running]:\nnot a function line\n\t/m/main.go:1 +0x1\n", "expected a function"},
		{strings.Replace(sampleDebug1, "total 6", "total 9", 1), "truncated: the header says 9 goroutines"},
		{"heap profile: total 3\n", "not a goroutine profile"},
		{string(sampleProfile(t, "alloc_space")), "a alloc_space profile, not a goroutine profile"},
		{string(sampleProfile(t, "goroutine")[:40]), "truncated gzip data"},
		{string(gz(gz([]byte(text)))), "gzip inside gzip"},
		{"\x0a\x03abc\xff\xff", "not a pprof profile"},
	} {
		_, err := Parse(strings.NewReader(c.data), "src", nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), "src: ") {
			t.Errorf("Parse(%.40q): %v, want one line with %q", c.data, err, c.want)
		}
	}
}

// TestParseStreaming parses a dump of 300,000 goroutines from a pipe,
// written as it is read: the parser holds groups, not goroutines.
func TestParseStreaming(t *testing.T) {
	t.Parallel()
	pr, pw := io.Pipe()
	const n = 300_000
	go func() {
		for i := range n {
			line := 42 + i%3
			io.WriteString(pw, textRecord(i+1, fmt.Sprintf("chan send, %d minutes", i%60), "example.com/svc/server.work", srvFile, line, "example.com/svc/server.Start", 10))
		}
		pw.Close()
	}()
	s, err := Parse(pr, "pipe", nil)
	if err != nil {
		t.Fatal(err)
	}
	gs := s.Groups()
	// Line 44 holds the goroutines i%3 == 2, blocked 2 to 59 minutes: the
	// highest count x age.
	if s.Goroutines != n || len(gs) != 3 || gs[0].Count != n/3 || gs[0].Blocking.Line != 44 || *gs[0].Age != (Age{2, 59}) {
		t.Fatalf("%d goroutines, %d groups, first %+v", s.Goroutines, len(gs), gs[0])
	}
}

func TestDiffOrder(t *testing.T) {
	t.Parallel()
	old := parseString(t, textRecord(1, "select", "example.com/a.Poll", "/a/a.go", 5, "", 0)+
		textRecord(2, "chan send", "example.com/a.Send", "/a/a.go", 9, "", 0)+
		textRecord(3, "chan receive", "example.com/a.Gone", "/a/a.go", 20, "", 0))
	var b strings.Builder
	b.WriteString(textRecord(1, "select", "example.com/a.Poll", "/a/a.go", 5, "", 0))
	for i := range 5 {
		b.WriteString(textRecord(10+i, "chan send", "example.com/a.Send", "/a/a.go", 9, "", 0))
	}
	b.WriteString(textRecord(30, "sleep", "example.com/a.New", "/a/a.go", 30, "", 0))
	r := newReport([]*Snapshot{old, parseString(t, b.String())})
	var got []string
	for _, g := range r.Groups {
		got = append(got, fmt.Sprintf("%s:%d %d %+v %v", g.Blocking.Function, g.Blocking.Line, g.Count, *g.Diff, g.Series))
	}
	want := []string{
		"example.com/a.Send:9 5 {Before:1 Growth:4 New:false Gone:false} [1 5]",
		"example.com/a.New:30 1 {Before:0 Growth:1 New:true Gone:false} [0 1]",
		"example.com/a.Poll:5 1 {Before:1 Growth:0 New:false Gone:false} [1 1]",
		"example.com/a.Gone:20 0 {Before:1 Growth:-1 New:false Gone:true} [1 0]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !r.leaky() || r.Summary.Growing != 2 || r.Summary.New != 1 {
		t.Errorf("summary %+v", r.Summary)
	}
}

func TestDeclName(t *testing.T) {
	t.Parallel()
	for fn, want := range map[string]string{
		"example.com/m/p.(*Server).run.func1.2": "Server.run",
		"example.com/m/p.Server.run":            "Server.run",
		"example.com/m.First.func1":             "First",
		"main.First.gowrap1":                    "First",
		"example.com/m.Map[...].Each-range1":    "Map.Each",
		"example.com/m.(*T).M-fm":               "T.M",
		"m.F":                                   "F",
		"":                                      "",
	} {
		if got := declName(fn); got != want {
			t.Errorf("declName(%q) = %q, want %q", fn, got, want)
		}
	}
}

// TestJoin checks the join rule on a module on disk: a line match, a
// drifted line in the same function, and look-alikes that do not match.
func TestJoin(t *testing.T) {
	t.Parallel()
	mod := t.TempDir()
	os.WriteFile(filepath.Join(mod, "go.mod"), []byte("module example.com/svc\n"), 0o644)
	local := filepath.Join(mod, "server", "server.go")
	os.MkdirAll(filepath.Dir(local), 0o755)
	os.WriteFile(local, []byte("package server\n"), 0o644)

	chanblock := &analysis.Analyzer{Name: "chanblock"}
	finding := func(line int, fn string) *report.Finding {
		return &report.Finding{Pass: chanblock, Pos: token.Position{Filename: local, Line: line, Column: 3}, Message: "blocks", Function: fn,
			Related: []report.Related{{Pos: token.Position{Filename: local, Line: line - 2}, Message: "the goroutine is started here"}}}
	}
	var b strings.Builder
	b.WriteString(textRecord(1, "chan send", "example.com/svc/server.(*Server).fetch.func1", srvFile, 42, "example.com/svc/server.(*Server).fetch", 40))
	b.WriteString(textRecord(2, "chan send", "example.com/svc/server.(*Server).fetch.func1", srvFile, 45, "", 0))
	b.WriteString(textRecord(3, "select", "example.com/svc/server.poll", srvFile, 77, "", 0))
	b.WriteString(textRecord(4, "select", "example.com/other/server.poll", "/x/other/server.go", 77, "", 0))
	r := newReport([]*Snapshot{parseString(t, b.String())})
	r.join([]*report.Finding{
		finding(42, "example.com/svc/server.Server.fetch"),
		finding(90, "example.com/svc/server.other"),
		finding(70, "example.com/svc/server.Start"),
	}, report.NewPaths(mod, "./"))

	got := make(map[string]string)
	for _, g := range r.Groups {
		got[fmt.Sprintf("%s:%d", filepath.Base(g.Blocking.File), g.Blocking.Line)] = fmt.Sprintf("%s/%s/%v", g.Label, g.Match, g.Findings)
	}
	want := map[string]string{
		"server.go:42": "predicted/line/[0]",     // at the finding's line
		"server.go:45": "predicted/function/[0]", // drifted, same declaration
		"server.go:77": "not predicted//[]",      // same file, another function, or another module's file
	}
	for k, w := range want {
		if got[k] != w && !(k == "server.go:77" && got[k] == w) {
			t.Errorf("%s: %s, want %s", k, got[k], w)
		}
	}
	for _, g := range r.Groups {
		if g.Blocking.Line == 77 && g.Label != LabelNotPredicted {
			t.Errorf("%s predicted", g.Blocking.Function)
		}
	}
	if r.Findings[0].Status != StatusObserved || r.Findings[0].Goroutines != 2 || r.Findings[1].Status != StatusNotObserved || r.Findings[2].Status != StatusNotObserved {
		t.Errorf("findings: %+v %+v %+v", r.Findings[0], r.Findings[1], r.Findings[2])
	}
	if r.Findings[0].Posn != "./server/server.go:42:3" {
		t.Errorf("posn %q", r.Findings[0].Posn)
	}

	// SARIF names the local files of the build machine's, under %SRCROOT%.
	var buf bytes.Buffer
	if err := writeSARIF(&buf, nil, r, mod); err != nil {
		t.Fatal(err)
	}
	sarif := buf.String()
	if strings.Count(sarif, `"uri": "server/server.go"`) < 4 || strings.Count(sarif, "/build/src") != strings.Count(sarif, `"leakvet/dumpFile": "/build/src`) {
		t.Errorf("SARIF locations not local:\n%s", sarif)
	}
}

// FuzzParse feeds the detectors and parsers any bytes: they must return
// a snapshot whose groups add up, or one error line naming the source;
// never panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte(sampleText()))
	f.Add([]byte(sampleDebug1))
	f.Add(sampleProfile(f, "goroutine"))
	f.Add(sampleProfile(f, "goroutineleak"))
	f.Add(gz([]byte(sampleText())))
	f.Add([]byte("SIGQUIT: quit\n\ngoroutine 0 gp=0x1 m=0 mp=0x2 [idle]:\nruntime.futex()\n\t/x.s:1 +0x21\n\ngoroutine 7 [chan send (leaked), 3 minutes, locked to thread]:\nmain.f({0x1, 0x2}, ...)\n\t/m/main.go:3 +0x1\n...additional frames elided...\ncreated by main.g in goroutine 1\n\t/m/main.go:9 +0x2\n"))
	f.Add([]byte("goroutine 3 [running]:\n\tgoroutine running on other thread; stack unavailable\n"))
	f.Add([]byte("<!DOCTYPE html>"))
	f.Add([]byte("goroutineleak profile: total 1\n1 @ 0x1\n#\t0x1\tmain.f+0x1\t/m.go:1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(bytes.NewReader(data), "in", nil)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, "in: ") {
				t.Fatalf("error not one line naming the source: %q", msg)
			}
			return
		}
		sum := 0
		for _, g := range s.Groups() {
			sum += g.Count
		}
		if sum != s.Goroutines {
			t.Fatalf("groups count %d goroutines, the snapshot %d", sum, s.Goroutines)
		}
	})
}
