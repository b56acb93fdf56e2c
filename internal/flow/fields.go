package flow

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// noteFieldStore records a store of a site's resource into a field, when
// the field is one only the package can read: an unexported field of a
// named struct type declared in the package.
func (c *Core) noteFieldStore(s *Site, st *ssa.Store) {
	fa := st.Addr.(*ssa.FieldAddr)
	field, tn := fieldOf(fa.X.Type(), fa.Field)
	if field == nil || tn == nil || field.Exported() || tn.Pkg() != c.pass.Pkg || field.Pkg() != c.pass.Pkg {
		return
	}
	c.res.Unused = append(c.res.Unused, &UnusedField{Site: s, Store: st, Field: field, Type: tn, Pos: storePos(st, fa)})
}

// fieldOf returns field i of the struct that ptr points to, and the named
// type declaring it.
func fieldOf(ptr types.Type, i int) (*types.Var, *types.TypeName) {
	p, ok := types.Unalias(ptr).Underlying().(*types.Pointer)
	if !ok {
		return nil, nil
	}
	named, ok := types.Unalias(p.Elem()).(*types.Named)
	if !ok {
		return nil, nil
	}
	st, ok := named.Underlying().(*types.Struct)
	if !ok || i >= st.NumFields() {
		return nil, nil
	}
	return st.Field(i).Origin(), named.Origin().Obj()
}

func storePos(st *ssa.Store, fa *ssa.FieldAddr) token.Pos {
	if st.Pos().IsValid() {
		return st.Pos()
	}
	return fa.Pos()
}

// findUnusedFields keeps, among the noted field stores, those whose field
// no function of the package reads.
func (c *Core) findUnusedFields() {
	if len(c.res.Unused) == 0 {
		return
	}
	read := map[*types.Var]bool{}
	for _, fn := range c.funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				switch instr := instr.(type) {
				case *ssa.FieldAddr:
					if f, _ := fieldOf(instr.X.Type(), instr.Field); f != nil && !onlyStoredThrough(instr) {
						read[f] = true
					}
				case *ssa.Field:
					if st, ok := types.Unalias(instr.X.Type()).Underlying().(*types.Struct); ok && instr.Field < st.NumFields() {
						read[st.Field(instr.Field).Origin()] = true
					}
				}
			}
		}
	}
	c.markSyntacticReads(read)
	kept := c.res.Unused[:0]
	for _, u := range c.res.Unused {
		if !read[u.Field] {
			kept = append(kept, u)
		}
	}
	c.res.Unused = kept
}

// onlyStoredThrough reports whether every use of the field address is a
// store into it.
func onlyStoredThrough(fa *ssa.FieldAddr) bool {
	for _, instr := range *fa.Referrers() {
		switch instr := instr.(type) {
		case *ssa.DebugRef:
		case *ssa.Store:
			if instr.Addr != fa {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// markSyntacticReads adds the fields that appear in selector expressions
// that SSA did not turn into a FieldAddr or Field we saw, such as method
// values of embedded types or reads inside generic code whose instances
// are not built: any selection of the field that is not the left-hand side
// of an assignment counts as a read.
func (c *Core) markSyntacticReads(read map[*types.Var]bool) {
	assigned := map[*ast.SelectorExpr]bool{}
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.SelectorExpr)(nil)}
	c.inspect.Preorder(filter, func(n ast.Node) {
		switch n := n.(type) {
		case *ast.AssignStmt: // visited before the selectors it contains
			for _, lhs := range n.Lhs {
				if sel, ok := ast.Unparen(lhs).(*ast.SelectorExpr); ok {
					assigned[sel] = true
				}
			}
		case *ast.SelectorExpr:
			if assigned[n] {
				return
			}
			if sel := c.pass.TypesInfo.Selections[n]; sel != nil && sel.Kind() == types.FieldVal {
				if v, ok := sel.Obj().(*types.Var); ok {
					read[v.Origin()] = true
				}
			}
		}
	})
}

// structField names field index of struct type t.
type structField struct {
	t     *types.Named
	field int
}

// OwnField returns the field a FieldAddr selects when it is a field of a
// struct type declared in the package (through a pointer), or nil.
func (c *Core) OwnField(fa *ssa.FieldAddr) *structField {
	ptr, ok := fa.X.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	n, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	return &structField{n.Origin(), fa.Field}
}

// FieldAccesses returns the FieldAddr and Field instructions of the
// package on field f, from an index built on first use.
func (c *Core) FieldAccesses(f structField) []ssa.Instruction {
	if c.fieldUses == nil {
		c.fieldUses = map[structField][]ssa.Instruction{}
		for _, fn := range c.funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					switch instr := instr.(type) {
					case *ssa.FieldAddr:
						if g := c.OwnField(instr); g != nil {
							c.fieldUses[*g] = append(c.fieldUses[*g], instr)
						}
					case *ssa.Field:
						if n, ok := types.Unalias(instr.X.Type()).(*types.Named); ok && n.Obj().Pkg() == c.pass.Pkg {
							g := structField{n.Origin(), instr.Field}
							c.fieldUses[g] = append(c.fieldUses[g], instr)
						}
					}
				}
			}
		}
	}
	return c.fieldUses[f]
}
