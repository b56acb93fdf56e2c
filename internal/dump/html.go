package dump

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
)

// The HTML report is one self-contained page: inline CSS, an inline SVG
// bar chart, <details> for the stacks, no script but the report's own
// JSON (the schema of -format=json) in <script type="application/json"
// id="leakvet-data">, and no external URL.

//go:embed report.html
var htmlSource string

// chartBars is how many groups the bar chart shows at most.
const chartBars = 20

// A bar is one group in the chart.
type bar struct {
	Rank                 int
	Label, Title         string
	CountText            string
	X, Y, TextY, Width   int
	GrowthX, GrowthWidth int
	CountX               int
}

type htmlPage struct {
	Report                  *Report
	Title                   string
	SummaryLine             string
	SourceRoles             []string
	Bars                    []bar
	ChartWidth, ChartHeight int
}

func writeHTML(w io.Writer, r *Report) error {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"inc":    func(i int) int { return i + 1 },
		"growth": func(g *Group) string { return g.growthText() },
		"age":    func(g *Group) string { return g.ageText() },
		"growthClass": func(g *Group) string {
			switch {
			case g.Diff == nil:
				return ""
			case g.Diff.Growth > 0:
				return "grow"
			case g.Diff.Growth < 0:
				return "shrink"
			}
			return ""
		},
	}).Parse(htmlSource)
	if err != nil {
		return err
	}
	p := &htmlPage{Report: r, SummaryLine: r.summaryLine()}
	for i, s := range r.Sources {
		if i > 0 {
			p.Title += " → "
		}
		p.Title += s.Name
		role := "source"
		if r.Diff {
			role = "then"
			switch i {
			case 0:
				role = "before"
			case len(r.Sources) - 1:
				role = "after"
			}
		}
		p.SourceRoles = append(p.SourceRoles, role)
	}
	p.chart()
	return tmpl.Execute(w, p)
}

// chart lays out the bars of the first groups: length for the count in
// the last snapshot, its growth since the first drawn over the end.
func (p *htmlPage) chart() {
	const (
		labelWidth = 460
		barWidth   = 420
		rowHeight  = 22
	)
	peak := 0
	var groups []*Group
	for _, g := range p.Report.Groups {
		if len(groups) == chartBars {
			break
		}
		if g.Count > 0 {
			groups = append(groups, g)
			peak = max(peak, g.Count)
		}
	}
	for i, g := range groups {
		b := bar{
			Rank:  i + 1,
			Label: clip(g.Blocking.short()),
			X:     labelWidth,
			Y:     i*rowHeight + 4,
			TextY: i*rowHeight + 15,
			Width: max(1, g.Count*barWidth/peak),
		}
		b.Title = g.describe()
		b.CountText = fmt.Sprint(g.Count)
		if d := g.Diff; d != nil && d.Growth > 0 {
			b.GrowthWidth = max(1, d.Growth*barWidth/peak)
			b.GrowthX = b.X + b.Width - b.GrowthWidth
			b.CountText = fmt.Sprintf("%d (+%d)", g.Count, d.Growth)
		}
		b.CountX = b.X + b.Width + 6
		p.Bars = append(p.Bars, b)
	}
	p.ChartWidth = labelWidth + barWidth + 110
	p.ChartHeight = len(groups)*rowHeight + 8
}
