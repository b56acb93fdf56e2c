package report

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestGitHubEscaping(t *testing.T) {
	t.Parallel()
	if got, want := escapeData("50% done\r\nnext::x"), "50%25 done%0D%0Anext::x"; got != want {
		t.Errorf("escapeData = %q, want %q", got, want)
	}
	if got, want := escapeProperty("a:b,c%\nd"), "a%3Ab%2Cc%25%0Ad"; got != want {
		t.Errorf("escapeProperty = %q, want %q", got, want)
	}
	// A file name with the characters that end a property.
	f := &Finding{Message: "m\n::error::injected"}
	f.Pos.Filename = "/w/a,b:c.go"
	f.Pos.Line, f.Pos.Column = 3, 4
	f.Pass = &analysis.Analyzer{Name: "x"}
	var sb strings.Builder
	if err := writeGitHub(&sb, []*Finding{f}, "/w"); err != nil {
		t.Fatal(err)
	}
	if want := "::error file=a%2Cb%3Ac.go,line=3,col=4,title=leakvet x::m%0A::error::injected\n"; sb.String() != want {
		t.Errorf("got %q, want %q", sb.String(), want)
	}
}
