package main

// A minimal SARIF 2.1.0 writer for 'leakvet verify -format=sarif'. It is
// kept in this one file so that it can move onto the full SARIF output of
// the normal run when that lands: each static finding is a result whose
// ruleId is its pass (and category), with the verification in the result's
// properties ("leakvet/verify": confirmed or not observed, and per
// architecture); each missed runtime leak is a result of rule
// "runtime-leak".

import (
	"encoding/json"
	"io"
	"strconv"
	"strings"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	Level            string          `json:"level"`
	Message          sarifMessage    `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Properties       map[string]any  `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifMessage `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

// writeVerifySARIF writes the report as one SARIF run.
func writeVerifySARIF(w io.Writer, r *verifyReport) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "leakvet",
			InformationURI: "https://github.com/leakvet/leakvet",
		}},
		Results: []sarifResult{},
	}
	rules := make(map[string]bool)
	addRule := func(id, text string) {
		if !rules[id] {
			rules[id] = true
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{ID: id, ShortDescription: sarifMessage{text}})
		}
	}
	for _, f := range r.Findings {
		id := f.Pass
		if f.Category != "" {
			id += "/" + f.Category
		}
		addRule(id, "leakvet pass "+f.Pass)
		res := sarifResult{
			RuleID:    id,
			Level:     "warning",
			Message:   sarifMessage{f.Message},
			Locations: []sarifLocation{sarifLoc(f.Posn, "")},
			Properties: map[string]any{
				"leakvet/verify":        f.Status,
				"leakvet/verifyByArch":  f.ByArch,
				"leakvet/runtimeLeaks":  len(f.Leaks),
				"leakvet/architectures": r.Ran,
			},
		}
		if f.Status == statusConfirmed {
			res.Level = "error"
		}
		for _, rel := range f.Related {
			posn, msg, _ := strings.Cut(rel, ": ")
			res.RelatedLocations = append(res.RelatedLocations, sarifLoc(posn, msg))
		}
		run.Results = append(run.Results, res)
	}
	for _, g := range r.Missed {
		addRule("runtime-leak", "a goroutine leaked in a test and no static finding predicted it")
		res := sarifResult{
			RuleID:  "runtime-leak",
			Level:   "error",
			Message: sarifMessage{r.describe(g)},
			Locations: []sarifLocation{
				sarifLoc(g.Blocking.File+":"+strconv.Itoa(g.Blocking.Line), ""),
			},
			RelatedLocations: []sarifLocation{
				sarifLoc(g.CreatedBy.File+":"+strconv.Itoa(g.CreatedBy.Line), "the goroutine is started here"),
			},
			Properties: map[string]any{
				"leakvet/verify":        statusMissed,
				"leakvet/proven":        g.Proven,
				"leakvet/state":         g.State,
				"leakvet/architectures": g.Archs,
			},
		}
		run.Results = append(run.Results, res)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// sarifLoc turns "file:line[:col]" into a location with a relative URI.
func sarifLoc(posn, msg string) sarifLocation {
	file, line, col := splitPosn(posn)
	loc := sarifLocation{PhysicalLocation: sarifPhysical{
		ArtifactLocation: sarifArtifact{URI: strings.TrimPrefix(file, "./")},
		Region:           sarifRegion{StartLine: line, StartColumn: col},
	}}
	if msg != "" {
		loc.Message = &sarifMessage{msg}
	}
	return loc
}

// splitPosn splits "file:line:col" or "file:line"; the file may contain
// colons.
func splitPosn(posn string) (string, int, int) {
	var nums []int
	for range 2 {
		i := strings.LastIndexByte(posn, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(posn[i+1:])
		if err != nil {
			break
		}
		nums = append([]int{n}, nums...)
		posn = posn[:i]
	}
	switch len(nums) {
	case 2:
		return posn, nums[0], nums[1]
	case 1:
		return posn, nums[0], 0
	}
	return posn, 0, 0
}
