package report

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
)

// BaselineVersion is the format version of baseline files; a file of any
// other version is refused rather than misread.
const BaselineVersion = 1

// A BaselineFile is the content of a baseline file: the findings a
// codebase had when it adopted leakvet, so that CI fails only on new ones.
// Findings are keyed without line numbers (see Key) and counted: a
// baseline with one finding of a key suppresses one, and a second
// identical finding is new.
type BaselineFile struct {
	Version  int             `json:"version"`  // BaselineVersion
	Tool     string          `json:"tool"`     // "leakvet"
	Findings []BaselineEntry `json:"findings"` // sorted by function, pass, category and message
}

// A BaselineEntry is a key of a baseline file and how many findings of it
// were recorded.
type BaselineEntry struct {
	Key
	Count int `json:"count"` // at least 1
}

// A Baseline is the count of each key recorded in a baseline file.
type Baseline map[Key]int

// WriteBaseline records findings in the file name: sorted, indented, one
// entry per key with its count, so the file diffs well under review.
func WriteBaseline(name string, findings []*Finding) error {
	count := make(map[Key]int)
	for _, f := range findings {
		count[f.key()]++
	}
	b := BaselineFile{Version: BaselineVersion, Tool: "leakvet", Findings: []BaselineEntry{}}
	for k, n := range count {
		b.Findings = append(b.Findings, BaselineEntry{k, n})
	}
	slices.SortFunc(b.Findings, func(x, y BaselineEntry) int {
		return cmp.Or(
			cmp.Compare(x.Function, y.Function),
			cmp.Compare(x.Pass, y.Pass),
			cmp.Compare(x.Category, y.Category),
			cmp.Compare(x.Message, y.Message),
		)
	})
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(name, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("cannot write baseline: %v", err)
	}
	return nil
}

// ReadBaseline reads a baseline file written by WriteBaseline. Every
// problem is one line naming the file.
func ReadBaseline(name string) (Baseline, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("baseline %s does not exist (create it with -write-baseline=%s)", name, name)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read baseline: %v", err)
	}
	var b BaselineFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s is not a leakvet baseline: %v", name, strings.Join(strings.Fields(err.Error()), " "))
	}
	if dec.More() {
		return nil, fmt.Errorf("baseline %s is not a leakvet baseline: data after the JSON object", name)
	}
	if b.Version != BaselineVersion || b.Tool != "leakvet" {
		return nil, fmt.Errorf("baseline %s has tool %q version %d; this leakvet reads leakvet version %d (rewrite it with -write-baseline)", name, b.Tool, b.Version, BaselineVersion)
	}
	count := make(Baseline)
	for i, e := range b.Findings {
		if e.Pass == "" || e.Message == "" || e.Count < 1 {
			return nil, fmt.Errorf("baseline %s: finding %d lacks a pass or a message, or has a count below 1", name, i+1)
		}
		count[e.Key] += e.Count
	}
	return count, nil
}

// Apply returns the findings the baseline does not cover, in order, and
// deletes the diagnostics of those it covers from acts, the actions the
// findings were collected from, so that no format prints them. Each
// baseline entry covers as many findings of its key as its count, the
// first in position order.
func (b Baseline) Apply(findings []*Finding, acts []*checker.Action) []*Finding {
	left := make(map[Key]int, len(b))
	for k, n := range b {
		left[k] = n
	}
	covered := make(map[identity]bool)
	var fresh []*Finding
	for _, f := range findings {
		k := f.key()
		if left[k] > 0 {
			left[k]--
			covered[f.identity()] = true
			continue
		}
		fresh = append(fresh, f)
	}
	for _, act := range acts {
		act.Diagnostics = slices.DeleteFunc(act.Diagnostics, func(d analysis.Diagnostic) bool {
			return covered[diagIdentity(act, d)]
		})
	}
	return fresh
}
