package main

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
)

// baselineVersion is the format version of baseline files; a file of any
// other version is refused rather than misread.
const baselineVersion = 1

// A baselineFile records the findings a codebase had when it adopted
// leakvet, so that CI fails only on new ones. Findings are keyed without
// line numbers (see findingKey) and counted: a baseline with one finding
// of a key suppresses one, and a second identical finding is new.
type baselineFile struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []baselineEntry `json:"findings"`
}

type baselineEntry struct {
	findingKey
	Count int `json:"count"`
}

// writeBaseline records findings in the file name: sorted, indented, one
// entry per key with its count, so the file diffs well under review.
func writeBaseline(name string, findings []*finding) error {
	count := make(map[findingKey]int)
	for _, f := range findings {
		count[f.key()]++
	}
	b := baselineFile{Version: baselineVersion, Tool: "leakvet", Findings: []baselineEntry{}}
	for k, n := range count {
		b.Findings = append(b.Findings, baselineEntry{k, n})
	}
	slices.SortFunc(b.Findings, func(x, y baselineEntry) int {
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

// readBaseline reads a baseline file written by writeBaseline and returns
// the count of each key. Every problem is one line naming the file.
func readBaseline(name string) (map[findingKey]int, error) {
	data, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("baseline %s does not exist (create it with -write-baseline=%s)", name, name)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read baseline: %v", err)
	}
	var b baselineFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("baseline %s is not a leakvet baseline: %v", name, oneLine(err.Error()))
	}
	if dec.More() {
		return nil, fmt.Errorf("baseline %s is not a leakvet baseline: data after the JSON object", name)
	}
	if b.Version != baselineVersion || b.Tool != "leakvet" {
		return nil, fmt.Errorf("baseline %s has tool %q version %d; this leakvet reads leakvet version %d (rewrite it with -write-baseline)", name, b.Tool, b.Version, baselineVersion)
	}
	count := make(map[findingKey]int)
	for i, e := range b.Findings {
		if e.Pass == "" || e.Message == "" || e.Count < 1 {
			return nil, fmt.Errorf("baseline %s: finding %d lacks a pass or a message, or has a count below 1", name, i+1)
		}
		count[e.findingKey] += e.Count
	}
	return count, nil
}

// applyBaseline returns the findings the baseline does not cover, in
// order, and the identities of those it does. Each baseline entry covers
// as many findings of its key as its count, the first in position order.
func applyBaseline(findings []*finding, baseline map[findingKey]int) (fresh []*finding, covered map[identity]bool) {
	left := make(map[findingKey]int, len(baseline))
	for k, n := range baseline {
		left[k] = n
	}
	covered = make(map[identity]bool)
	for _, f := range findings {
		k := f.key()
		if left[k] > 0 {
			left[k]--
			covered[f.identity()] = true
			continue
		}
		fresh = append(fresh, f)
	}
	return fresh, covered
}
