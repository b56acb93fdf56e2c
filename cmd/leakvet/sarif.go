package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/tools/go/analysis"

	"github.com/leakvet/leakvet/internal/docutil"
	"github.com/leakvet/leakvet/internal/suppress"
)

// SARIF 2.1.0, the subset leakvet writes: what GitHub code scanning reads
// (https://docs.github.com/en/code-security/code-scanning/integrating-with-code-scanning/sarif-support-for-code-scanning).
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	HelpURI              string            `json:"helpUri,omitempty"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags      []string `json:"tags"`
	Precision string   `json:"precision"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               *int                  `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

const (
	sarifSchemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
	srcRootID      = "%SRCROOT%"
	// fingerprintKey names leakvet's fingerprint in partialFingerprints:
	// versioned, so a change of its recipe starts a new series instead of
	// matching old alerts wrongly.
	fingerprintKey = "leakvetFindingHash/v1"
	// sarifLevel is the level of every result: a leak is a bug to fix.
	sarifLevel = "error"
)

// sarifRules returns the rules of the passes: one per pass and category,
// in the order of the passes and of the categories their doc.go lists,
// then the categories of suppression directives. Every rule's help text
// is what 'leakvet help PASS' prints.
func (c *command) sarifRules(passes []*analysis.Analyzer) ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := make(map[string]int)
	for _, a := range passes {
		var help bytes.Buffer
		c.describe(&help, a)
		cats := docutil.Categories(a.Doc)
		cats = append(cats,
			docutil.Category{Name: suppress.CategoryNoReason, Text: "a //leakvet:ignore directive without a pass name or a reason, which silences nothing"},
			docutil.Category{Name: suppress.CategoryUnused, Text: "a //leakvet:ignore directive that silences nothing (with -" + a.Name + "." + suppress.FlagUnused + ")"},
		)
		for _, cat := range cats {
			id := ruleID(a.Name, cat.Name)
			if _, dup := index[id]; dup {
				continue
			}
			index[id] = len(rules)
			rules = append(rules, newRule(a, id, cat.Text, help.String()))
		}
	}
	return rules, index
}

func newRule(a *analysis.Analyzer, id, short, help string) sarifRule {
	return sarifRule{
		ID:                   id,
		Name:                 ruleName(id),
		ShortDescription:     sarifText{short},
		FullDescription:      sarifText{a.Name + ": " + summary(a)},
		Help:                 sarifText{help},
		HelpURI:              a.URL,
		DefaultConfiguration: sarifRuleConfig{sarifLevel},
		Properties:           sarifRuleProperty{Tags: []string{"leakvet", a.Name, "reliability"}, Precision: "high"},
	}
}

// ruleID names the rule of a pass's category: "ctxcancel/unreleased", or
// the pass alone for a finding with no category.
func ruleID(pass, category string) string {
	if category == "" {
		return pass
	}
	return pass + "/" + category
}

// ruleName is the id in PascalCase ("CtxcancelUnreleased"), as SARIF
// rule names are written.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '/' || r == '-' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

// writeSARIF writes findings as a SARIF 2.1.0 log for GitHub code
// scanning.
func (c *command) writeSARIF(w io.Writer, passes []*analysis.Analyzer, findings []*finding, root string) error {
	return encodeSARIF(w, c.sarifRun(passes, findings, root))
}

// sarifRun returns the run of findings: file names relative to root under
// %SRCROOT%, columns in UTF-16 code units, a rule per pass and category,
// the Related information as related locations, and a fingerprint that
// survives unrelated edits. Its i'th result is findings[i].
func (c *command) sarifRun(passes []*analysis.Analyzer, findings []*finding, root string) sarifRun {
	rules, index := c.sarifRules(passes)
	cols := newColumnCache()
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "leakvet",
			InformationURI: "https://github.com/leakvet/leakvet",
			Version:        moduleVersion(),
			Rules:          rules,
		}},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{
			srcRootID: {URI: fileURI(root) + "/"},
		},
		Results:    []sarifResult{},
		ColumnKind: "utf16CodeUnits",
	}
	keys := make([]findingKey, len(findings))
	for i, f := range findings {
		keys[i] = f.key()
	}
	prints := fingerprints(keys)
	for i, f := range findings {
		id := ruleID(f.pass.Name, f.category)
		idx, ok := index[id]
		if !ok { // a category its doc.go does not list: still a rule of its own
			idx = len(run.Tool.Driver.Rules)
			index[id] = idx
			var help bytes.Buffer
			c.describe(&help, f.pass)
			run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, newRule(f.pass, id, summary(f.pass), help.String()))
		}
		res := sarifResult{
			RuleID:              id,
			RuleIndex:           idx,
			Level:               sarifLevel,
			Message:             sarifText{f.message},
			Locations:           []sarifLocation{{PhysicalLocation: physical(root, f.pos, f.end, cols)}},
			PartialFingerprints: map[string]string{fingerprintKey: prints[i]},
			Properties:          make(map[string]any), // omitted while empty
		}
		if f.function != "" {
			res.Properties["function"] = f.function
		}
		for j, r := range f.related {
			if !r.pos.IsValid() {
				continue
			}
			id := j + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: physical(root, r.pos, r.pos, cols),
				Message:          &sarifText{strings.TrimSpace(r.message)},
			})
		}
		run.Results = append(run.Results, res)
	}
	return run
}

// encodeSARIF writes run as a SARIF log of its own.
func encodeSARIF(w io.Writer, run sarifRun) error {
	log := sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// physical is the location of pos..end: under %SRCROOT% when the file is
// under root, else an absolute file URI.
func physical(root string, pos, end token.Position, cols *columnCache) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifactLoc{URI: fileURI(pos.Filename)}}
	if rel, ok := relToRoot(root, pos.Filename); ok {
		loc.ArtifactLocation = sarifArtifactLoc{URI: relURI(rel), URIBaseID: srcRootID}
	}
	if pos.Line < 1 {
		return loc
	}
	r := &sarifRegion{StartLine: pos.Line}
	if pos.Column > 0 {
		r.StartColumn = cols.utf16Col(pos.Filename, pos.Line, pos.Column)
	}
	if end.IsValid() && end.Filename == pos.Filename && end.Line >= pos.Line && end.Column > 0 &&
		(end.Line > pos.Line || end.Column > pos.Column) {
		r.EndLine = end.Line
		r.EndColumn = cols.utf16Col(end.Filename, end.Line, end.Column)
	}
	loc.Region = r
	return loc
}

func fileURI(name string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(name)}
	return u.String()
}

// relURI escapes a slash-separated relative name for a URI reference.
func relURI(rel string) string {
	u := url.URL{Path: rel}
	return u.EscapedPath()
}

// A columnCache converts the byte columns of go/token into the UTF-16
// columns SARIF consumers (GitHub among them) count in, reading each file
// once.
type columnCache struct {
	lines map[string][][]byte
}

func newColumnCache() *columnCache { return &columnCache{lines: make(map[string][][]byte)} }

// utf16Col returns the 1-based UTF-16 column of the 1-based byte column
// col on line of file name, or col itself if the file cannot be read.
func (cc *columnCache) utf16Col(name string, line, col int) int {
	lines, ok := cc.lines[name]
	if !ok {
		if data, err := os.ReadFile(name); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(data))
			sc.Buffer(nil, len(data)+1)
			for sc.Scan() {
				lines = append(lines, bytes.Clone(sc.Bytes()))
			}
		}
		cc.lines[name] = lines
	}
	if line < 1 || line > len(lines) || col < 1 {
		return col
	}
	text := lines[line-1]
	if col-1 > len(text) {
		return col
	}
	n := 0
	for prefix := text[:col-1]; len(prefix) > 0; {
		r, size := utf8.DecodeRune(prefix)
		prefix = prefix[size:]
		n += len(utf16.Encode([]rune{r}))
	}
	return n + 1
}

// moduleVersion is leakvet's module version for SARIF's driver.version,
// or "" when built in a work tree (a "(devel)" version says nothing).
func moduleVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return ""
}
