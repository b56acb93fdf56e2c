package dump

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/leakvet/leakvet/internal/report"
)

// This file joins the groups of a dump to leakvet's static findings.
//
// The rule. A group is predicted by a finding when
//
//  1. (match "line") the group's blocking frame or its go statement
//     ("created by") is at the finding's position or at one of its
//     related positions: same file, same line; or else, tolerating the
//     line drift between the deployed binary and the source at hand,
//  2. (match "function") the blocking frame or the go statement is in the
//     file of the finding's position and in the same top-level
//     declaration: the frame's function, closures and method receivers
//     folded ("(*Server).run.func1.2" is "Server.run"), equals the
//     declaration that encloses the finding (report.Finding.Function,
//     which the driver computes from the parsed file).
//
// Files are compared by suffix, since a dump names files as they were on
// the machine that built the binary (/build/src/..., or module-path/...
// under -trimpath): a dump's file matches a local file when it ends with
// the local file's path relative to its module root (the nearest
// directory above it with a go.mod), on a "/" boundary.
//
// A group matched by some finding through rule 1 lists those findings;
// otherwise the findings of rule 2. A finding that predicted a group is
// observed; the others are not observed.

type joiner struct {
	modRel map[string]string // local file -> its module-relative path, slash-separated
}

// join labels every group and lists the findings with their status.
func (r *Report) join(findings []*report.Finding, paths report.Paths) {
	j := &joiner{modRel: make(map[string]string)}
	r.Joined = true
	r.Findings = []*Finding{}
	for _, f := range findings {
		out := &Finding{
			Pass:     f.Pass.Name,
			Category: f.Category,
			Posn:     paths.Anywhere(f.Pos.String()),
			Message:  f.Message,
			Function: f.Function,
			Status:   StatusNotObserved,
			static:   f,
		}
		for _, rel := range f.Related {
			out.Related = append(out.Related, paths.Anywhere(rel.Pos.String())+": "+rel.Message)
		}
		r.Findings = append(r.Findings, out)
	}
	for _, g := range r.Groups {
		if g.Count == 0 {
			continue // gone since the first snapshot: nothing to predict
		}
		var byLine, byFunc []int
		for i, f := range r.Findings {
			switch {
			case j.matchLine(g, f.static):
				byLine = append(byLine, i)
			case j.matchFunc(g, f.static):
				byFunc = append(byFunc, i)
			}
		}
		g.Label, g.Match, g.Findings = LabelNotPredicted, "", nil
		switch {
		case len(byLine) > 0:
			g.Label, g.Match, g.Findings = LabelPredicted, "line", byLine
		case len(byFunc) > 0:
			g.Label, g.Match, g.Findings = LabelPredicted, "function", byFunc
		}
		for _, i := range g.Findings {
			r.Findings[i].Status = StatusObserved
			r.Findings[i].Goroutines += g.Count
		}
	}
	r.summarize()
}

// frames returns the frames of g a finding can be at: where it blocks and
// the go statement that started it.
func (g *Group) frames() []Frame {
	out := []Frame{g.Blocking}
	if g.CreatedBy != nil {
		out = append(out, *g.CreatedBy)
	}
	return out
}

func (j *joiner) matchLine(g *Group, f *report.Finding) bool {
	positions := []struct {
		file string
		line int
	}{{f.Pos.Filename, f.Pos.Line}}
	for _, rel := range f.Related {
		positions = append(positions, struct {
			file string
			line int
		}{rel.Pos.Filename, rel.Pos.Line})
	}
	for _, fr := range g.frames() {
		for _, p := range positions {
			if fr.Line == p.line && p.line > 0 && j.sameFile(fr.File, p.file) {
				return true
			}
		}
	}
	return false
}

func (j *joiner) matchFunc(g *Group, f *report.Finding) bool {
	want := declName(f.Function)
	if want == "" {
		return false
	}
	for _, fr := range g.frames() {
		if declName(fr.Function) == want && j.sameFile(fr.File, f.Pos.Filename) {
			return true
		}
	}
	return false
}

// sameFile reports whether the file a dump names is the local file.
func (j *joiner) sameFile(dumpFile, local string) bool {
	if dumpFile == "" || local == "" {
		return false
	}
	d := strings.ReplaceAll(dumpFile, `\`, "/")
	if d == filepath.ToSlash(local) {
		return true
	}
	rel := j.moduleRelative(local)
	return d == rel || strings.HasSuffix(d, "/"+rel)
}

// moduleRelative returns the path of a local file relative to the root of
// its module, or its base name when it is in no module.
func (j *joiner) moduleRelative(local string) string {
	if rel, ok := j.modRel[local]; ok {
		return rel
	}
	rel := filepath.Base(local)
	for dir := filepath.Dir(local); ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			if r, err := filepath.Rel(dir, local); err == nil {
				rel = filepath.ToSlash(r)
			}
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	j.modRel[local] = rel
	return rel
}

// closurePart matches the parts of a function name the compiler adds
// inside a declaration: func1, gowrap2, deferwrap1, nested closures' 2,
// range-over-func bodies' -range1, method values' -fm.
var closurePart = regexp.MustCompile(`^(func\d+|gowrap\d+|deferwrap\d+|\d+)$`)

// declName returns the top-level declaration a function belongs to,
// without its package: "example.com/m.(*Server).run.func1.2" ->
// "Server.run", "example.com/m.First" -> "First" (report.Finding.Function
// names methods the same way, without the pointer).
func declName(fn string) string {
	if fn == "" {
		return ""
	}
	pkg := funcPackage(fn)
	if len(pkg) >= len(fn) {
		return ""
	}
	name := fn[len(pkg)+1:]
	name = strings.NewReplacer("(*", "", "(", "", ")", "").Replace(name)
	if i := strings.Index(name, "["); i >= 0 { // type arguments: F[...] or T[...].M
		if j := strings.Index(name[i:], "]"); j >= 0 {
			name = name[:i] + name[i+j+1:]
		}
	}
	parts := strings.Split(name, ".")
	for len(parts) > 1 {
		last := parts[len(parts)-1]
		if k := strings.IndexByte(last, '-'); k >= 0 { // -range1, -fm
			last = last[:k]
			parts[len(parts)-1] = last
		}
		if !closurePart.MatchString(last) && last != "" {
			break
		}
		parts = parts[:len(parts)-1]
	}
	return strings.Join(parts, ".")
}
