package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
)

// Paths shortens absolute file names under a base directory in what
// leakvet prints: to ./file.go in a user's module, as go vet does, and to
// example/file.go for the built-in example.
type Paths struct {
	bases  []string // the base directory as given and with symlinks resolved, each ending in a separator
	prefix string
}

// NewPaths returns the Paths that replace base and its following separator
// with prefix. A base of / shortens nothing.
func NewPaths(base, prefix string) Paths {
	r := Paths{prefix: prefix}
	for _, b := range []string{base, RealPath(base)} {
		b = strings.TrimSuffix(b, string(filepath.Separator)) + string(filepath.Separator)
		if b == string(filepath.Separator) {
			continue // everything is under /: leave names absolute
		}
		if len(r.bases) == 0 || r.bases[0] != b {
			r.bases = append(r.bases, b)
		}
	}
	return r
}

// LineStarts rewrites names at the start of each line of text, where
// PrintText puts positions; the source lines of -c and the messages stay.
func (r Paths) LineStarts(text []byte) []byte {
	lines := bytes.SplitAfter(text, []byte("\n"))
	for i, line := range lines {
		for _, b := range r.bases {
			if rest, ok := bytes.CutPrefix(line, []byte(b)); ok {
				lines[i] = append([]byte(r.prefix), rest...)
				break
			}
		}
	}
	return bytes.Join(lines, nil)
}

// Anywhere rewrites names anywhere in an error line.
func (r Paths) Anywhere(s string) string {
	for _, b := range r.bases {
		s = strings.ReplaceAll(s, b, r.prefix)
	}
	return s
}

// RealPath returns p with symlinks resolved, or p itself if they cannot
// be: leakvet compares file names both ways, as given and resolved.
func RealPath(p string) string {
	if r, err := filepath.EvalSymlinks(p); err == nil {
		return r
	}
	return p
}

// SourceRoot returns the directory that names in SARIF and GitHub
// annotations are relative to: $GITHUB_WORKSPACE when set (GitHub Actions
// resolves annotations and code scanning URIs against it), else the
// nearest directory at or above dir holding .git, else dir itself.
func SourceRoot(dir string) string {
	if ws := os.Getenv("GITHUB_WORKSPACE"); ws != "" {
		if abs, err := filepath.Abs(ws); err == nil {
			return abs
		}
	}
	for d := dir; ; {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// relToRoot returns name relative to root with forward slashes, and
// whether it is under root.
func relToRoot(root, name string) (string, bool) {
	for _, r := range []string{root, RealPath(root)} {
		for _, n := range []string{name, RealPath(name)} {
			rel, err := filepath.Rel(r, n)
			if err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
				return filepath.ToSlash(rel), true
			}
		}
	}
	return filepath.ToSlash(name), false
}
