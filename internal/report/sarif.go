package report

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
	"github.com/leakvet/leakvet/internal/witness"
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
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties,omitempty"`
}

// A code flow is a finding's witness schedule: one thread flow per
// goroutine, each step with its place in the schedule (executionOrder).
type sarifCodeFlow struct {
	Message     *sarifText        `json:"message,omitempty"`
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	ID        string                    `json:"id"`
	Message   *sarifText                `json:"message,omitempty"`
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location       sarifLocation `json:"location"`
	ExecutionOrder int           `json:"executionOrder"`
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
	// FingerprintKey names leakvet's fingerprint in partialFingerprints:
	// versioned, so a change of its recipe starts a new series instead of
	// matching old alerts wrongly.
	FingerprintKey = "leakvetFindingHash/v1"
	// sarifLevel is the level of every result: a leak is a bug to fix.
	sarifLevel = "error"
)

// A SARIF is a SARIF 2.1.0 log of one run, for GitHub code scanning and
// other SARIF viewers, being built: the findings of leakvet's passes, to
// which verify adds what the tests showed.
type SARIF struct {
	run  sarifRun
	root string
	cols *columnCache
}

// NewSARIF returns the log of findings: file names relative to root under
// %SRCROOT%, columns in UTF-16 code units, a rule per pass and category,
// the Related information as related locations, and a fingerprint that
// survives unrelated edits. Its i'th result is findings[i].
func NewSARIF(passes []*analysis.Analyzer, findings []*Finding, root string) *SARIF {
	rules, index := sarifRules(passes)
	s := &SARIF{root: root, cols: newColumnCache()}
	s.run = sarifRun{
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
	keys := make([]Key, len(findings))
	for i, f := range findings {
		keys[i] = f.key()
	}
	prints := fingerprints(keys)
	for i, f := range findings {
		id := ruleID(f.Pass.Name, f.Category)
		idx, ok := index[id]
		if !ok { // a category its doc.go does not list: still a rule of its own
			idx = len(s.run.Tool.Driver.Rules)
			index[id] = idx
			s.run.Tool.Driver.Rules = append(s.run.Tool.Driver.Rules, passRule(f.Pass, id, Summary(f.Pass)))
		}
		res := sarifResult{
			RuleID:              id,
			RuleIndex:           idx,
			Level:               sarifLevel,
			Message:             sarifText{f.Message},
			Locations:           []sarifLocation{{PhysicalLocation: s.physical(f.Pos, f.End)}},
			RelatedLocations:    s.related(f.Related, false),
			CodeFlows:           s.codeFlows(f.Related),
			PartialFingerprints: map[string]string{FingerprintKey: prints[i]},
			Properties:          make(map[string]any), // omitted while empty
		}
		if f.Function != "" {
			res.Properties["function"] = f.Function
		}
		s.run.Results = append(s.run.Results, res)
	}
	return s
}

// SetLevel sets the level ("error", "warning", "note") of the i'th result.
func (s *SARIF) SetLevel(i int, level string) {
	s.run.Results[i].Level = level
}

// AddProperties adds props to the properties of the i'th result.
func (s *SARIF) AddProperties(i int, props map[string]any) {
	for k, v := range props {
		s.run.Results[i].Properties[k] = v
	}
}

// A Rule is a rule of results that are not the findings of a pass (see
// AddRule).
type Rule struct {
	ID               string   // the rule id, such as "runtime-leak"; its name is the id in PascalCase
	ShortDescription string   // what one result of it is, in a phrase
	FullDescription  string   // "name: what it is", as a pass's summary
	Help             string   // the full help text, as plain text
	HelpURI          string   // optional
	Tags             []string // such as "leakvet" and "reliability"
}

// A Result is one result of a Rule: a message at a position, with related
// positions, the key its fingerprint is built on, and properties.
type Result struct {
	Message    string         // what happened, in a sentence
	Pos        token.Position // its location; a position, not a range
	Related    []Related      // every one is a related location, even at an invalid position
	Key        Key            // what identifies it across edits, for its fingerprint
	Properties map[string]any // the result's properties, as they are
}

// AddRule adds rule after the rules of the passes, and results of it at
// the end of the log. The results are fingerprinted by their keys, among
// themselves, as findings are.
func (s *SARIF) AddRule(rule Rule, results []Result) {
	ruleIndex := len(s.run.Tool.Driver.Rules)
	s.run.Tool.Driver.Rules = append(s.run.Tool.Driver.Rules, rule.sarif())
	keys := make([]Key, len(results))
	for i, res := range results {
		keys[i] = res.Key
	}
	prints := fingerprints(keys)
	for i, res := range results {
		s.run.Results = append(s.run.Results, sarifResult{
			RuleID:              rule.ID,
			RuleIndex:           ruleIndex,
			Level:               sarifLevel,
			Message:             sarifText{res.Message},
			Locations:           []sarifLocation{{PhysicalLocation: s.physical(res.Pos, res.Pos)}},
			RelatedLocations:    s.related(res.Related, true),
			PartialFingerprints: map[string]string{FingerprintKey: prints[i]},
			Properties:          res.Properties,
		})
	}
}

// Encode writes the log to w.
func (s *SARIF) Encode(w io.Writer) error {
	log := sarifLog{Schema: sarifSchemaURI, Version: "2.1.0", Runs: []sarifRun{s.run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

// sarifRules returns the rules of the passes: one per pass and category,
// in the order of the passes and of the categories their doc.go lists,
// then the categories of suppression directives. Every rule's help text
// is what 'leakvet help PASS' prints.
func sarifRules(passes []*analysis.Analyzer) ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := make(map[string]int)
	for _, a := range passes {
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
			rules = append(rules, passRule(a, id, cat.Text))
		}
	}
	return rules, index
}

// passRule is the rule id of pass a, its help text what 'leakvet help
// PASS' prints.
func passRule(a *analysis.Analyzer, id, short string) sarifRule {
	var help bytes.Buffer
	Describe(&help, a)
	return Rule{
		ID:               id,
		ShortDescription: short,
		FullDescription:  a.Name + ": " + Summary(a),
		Help:             help.String(),
		HelpURI:          a.URL,
		Tags:             []string{"leakvet", a.Name, "reliability"},
	}.sarif()
}

func (r Rule) sarif() sarifRule {
	return sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifText{r.ShortDescription},
		FullDescription:      sarifText{r.FullDescription},
		Help:                 sarifText{r.Help},
		HelpURI:              r.HelpURI,
		DefaultConfiguration: sarifRuleConfig{sarifLevel},
		Properties:           sarifRuleProperty{Tags: r.Tags, Precision: "high"},
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

// related returns the related locations of a result, numbered from 1: of
// the valid positions only, unless all.
func (s *SARIF) related(rels []Related, all bool) []sarifLocation {
	var out []sarifLocation
	for j, r := range rels {
		if !all && !r.Pos.IsValid() {
			continue
		}
		id := j + 1
		out = append(out, sarifLocation{
			ID:               &id,
			PhysicalLocation: s.physical(r.Pos, r.Pos),
			Message:          &sarifText{strings.TrimSpace(r.Message)},
		})
	}
	return out
}

// codeFlows is the witness schedule among the related positions (see
// package witness) as one code flow with a thread flow per goroutine, in
// the order the goroutines first act; nil when there is none.
func (s *SARIF) codeFlows(rels []Related) []sarifCodeFlow {
	var flows []sarifThreadFlow
	index := map[string]int{}
	for _, r := range rels {
		n, g, what, ok := witness.Parse(strings.TrimSpace(r.Message))
		if !ok || !r.Pos.IsValid() {
			continue
		}
		i, seen := index[g]
		if !seen {
			i = len(flows)
			index[g] = i
			flows = append(flows, sarifThreadFlow{ID: g, Message: &sarifText{g}})
		}
		flows[i].Locations = append(flows[i].Locations, sarifThreadFlowLocation{
			Location:       sarifLocation{PhysicalLocation: s.physical(r.Pos, r.Pos), Message: &sarifText{what}},
			ExecutionOrder: n,
		})
	}
	if len(flows) == 0 {
		return nil
	}
	return []sarifCodeFlow{{Message: &sarifText{"the schedule that reaches the stuck state"}, ThreadFlows: flows}}
}

// physical is the location of pos..end: under %SRCROOT% when the file is
// under root, else an absolute file URI.
func (s *SARIF) physical(pos, end token.Position) sarifPhysicalLocation {
	loc := sarifPhysicalLocation{ArtifactLocation: sarifArtifactLoc{URI: fileURI(pos.Filename)}}
	if rel, ok := relToRoot(s.root, pos.Filename); ok {
		loc.ArtifactLocation = sarifArtifactLoc{URI: relURI(rel), URIBaseID: srcRootID}
	}
	if pos.Line < 1 {
		return loc
	}
	r := &sarifRegion{StartLine: pos.Line}
	if pos.Column > 0 {
		r.StartColumn = s.cols.utf16Col(pos.Filename, pos.Line, pos.Column)
	}
	if end.IsValid() && end.Filename == pos.Filename && end.Line >= pos.Line && end.Column > 0 &&
		(end.Line > pos.Line || end.Column > pos.Column) {
		r.EndLine = end.Line
		r.EndColumn = s.cols.utf16Col(end.Filename, end.Line, end.Column)
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
