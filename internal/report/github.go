package report

import (
	"fmt"
	"io"
	"strings"
)

// writeGitHub writes findings as GitHub Actions workflow commands, which
// the runner turns into annotations on the pull request's diff:
//
//	::error file=pkg/x.go,line=21,col=7,endLine=21,endColumn=13,title=leakvet ctxcancel/unreleased::message
//
// File names are relative to root (the workspace). The related
// information follows the message on lines of its own. Values are escaped
// as the runner unescapes them: %, CR and LF everywhere, and also : and ,
// in properties, so no message can end a command early or inject another.
func writeGitHub(w io.Writer, findings []*Finding, root string) error {
	for _, f := range findings {
		file, _ := relToRoot(root, f.Pos.Filename)
		props := []string{"file=" + escapeProperty(file)}
		if f.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", f.Pos.Line))
			if f.Pos.Column > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Pos.Column))
			}
			if f.End.IsValid() && f.End.Filename == f.Pos.Filename && f.End.Line >= f.Pos.Line {
				props = append(props, fmt.Sprintf("endLine=%d", f.End.Line))
				if f.End.Line == f.Pos.Line && f.End.Column > f.Pos.Column {
					props = append(props, fmt.Sprintf("endColumn=%d", f.End.Column))
				}
			}
		}
		props = append(props, "title="+escapeProperty("leakvet "+ruleID(f.Pass.Name, f.Category)))
		msg := f.Message
		for _, r := range f.Related {
			rel, _ := relToRoot(root, r.Pos.Filename)
			msg += fmt.Sprintf("\n%s:%d:%d: %s", rel, r.Pos.Line, r.Pos.Column, strings.TrimSpace(r.Message))
		}
		if _, err := fmt.Fprintf(w, "::error %s::%s\n", strings.Join(props, ","), escapeData(msg)); err != nil {
			return err
		}
	}
	return nil
}

// escapeData escapes a workflow command's message.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a workflow command's property value.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
