// Package fixes holds the text edits the passes' suggested fixes share:
// inserting a statement after another, and the checks that make it safe.
package fixes

import (
	"bytes"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// Indent returns the leading white space of the line containing pos.
func Indent(pass *analysis.Pass, pos token.Pos) string {
	tf := pass.Fset.File(pos)
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return "\t"
	}
	line := content[tf.Offset(tf.LineStart(tf.Line(pos))):]
	return string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
}

// InsertAfter inserts text as a statement on its own line after stmt,
// indented like stmt: at the end of stmt's last line, so that a trailing
// comment stays with the statement it describes.
func InsertAfter(pass *analysis.Pass, stmt ast.Stmt, text string) analysis.TextEdit {
	tf := pass.Fset.File(stmt.Pos())
	content, err := pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.TextEdit{Pos: stmt.End(), End: stmt.End(), NewText: []byte("\n\t" + text)}
	}
	end := tf.Offset(stmt.End())
	if nl := bytes.IndexByte(content[end:], '\n'); nl >= 0 {
		end += nl
	} else {
		end = len(content)
	}
	at := tf.Pos(end)
	return analysis.TextEdit{Pos: at, End: at, NewText: []byte("\n" + Indent(pass, stmt.Pos()) + text)}
}

// DeleteStmt deletes stmt and the rest of its line, up to and including
// the newline, when nothing else is on its lines.
func DeleteStmt(pass *analysis.Pass, stmt ast.Stmt) analysis.TextEdit {
	tf := pass.Fset.File(stmt.Pos())
	start := tf.LineStart(tf.Line(stmt.Pos()))
	end := stmt.End()
	if content, err := pass.ReadFile(tf.Name()); err == nil {
		off := tf.Offset(end)
		if nl := bytes.IndexByte(content[off:], '\n'); nl >= 0 && len(bytes.TrimSpace(content[off:off+nl])) == 0 {
			end = tf.Pos(off + nl + 1)
		}
	}
	return analysis.TextEdit{Pos: start, End: end}
}

// InBlock reports whether stmt is a statement of a block or case body
// (not the init of an if, for or switch), where a new statement may
// follow it.
func InBlock(in *inspector.Inspector, stmt ast.Stmt) bool {
	cur, ok := in.Root().FindNode(stmt)
	if !ok {
		return false
	}
	switch cur.Parent().Node().(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return true
	}
	return false
}
