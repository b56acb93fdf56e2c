package model

import (
	"go/constant"
	"go/token"
	"go/types"
	"math"
	"os"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// This file runs one goroutine of an explored state up to its next
// synchronising operation: the explorer's interpreter of the package's
// SSA over abstract values.

// localLoop bounds how often one run between synchronising operations
// may enter a block: a loop that long with no synchronisation is cut
// there (that schedule is dropped, not reported).
const localLoop = 64

// xtrace adds the branches on unknowns to schedules (debugging).
var xtrace = os.Getenv("LEAKVET_EXPLORE_TRACE") != ""

// settle runs every goroutine of s up to its next synchronising
// operation (or its end), forking s where a branch depends on ⊤.
func (x *explorer) settle(s *state) []*state {
	var out []*state
	work := []*state{s}
	for len(work) > 0 && !x.abort {
		s := work[len(work)-1]
		work = work[:len(work)-1]
		ti := -1
		for i, t := range s.threads {
			if !t.done && x.opOf(s, t) == nil {
				ti = i
				break
			}
		}
		if ti < 0 {
			out = append(out, s)
			continue
		}
		forks, ok := x.runLocal(s, ti)
		work = append(work, forks...)
		if ok {
			work = append(work, s)
		}
	}
	return out
}

// runLocal runs thread ti of s until it reaches a synchronising
// operation or ends. It returns the states forked off on the way; ok is
// false when s itself is dropped (a panic, a budget, something the
// explorer does not model).
func (x *explorer) runLocal(s *state, ti int) (forks []*state, ok bool) {
	visits := map[*ssa.BasicBlock]int{}
	for {
		if x.abort {
			return forks, false
		}
		t := s.thr(ti)
		if t.done || x.opOf(s, t) != nil {
			return forks, true
		}
		x.steps++
		x.pkgSteps++
		if x.steps > x.lim.steps {
			x.over, x.why = true, "steps"
			return forks, false
		}
		if t.pending != nil {
			p := t.pending
			t.pending = nil
			if !x.callLocal(s, t, *p, nil, true) {
				return forks, false
			}
			continue
		}
		if len(t.frames) == 0 {
			x.finish(s, t)
			continue
		}
		f := t.topw()
		if f.unwinding != 0 {
			if n := len(f.defers); n > 0 {
				d := f.defers[n-1]
				f.defers = f.defers[:n-1]
				t.pending = &d
				continue
			}
			if f.unwinding == 1 {
				f.unwinding = 0
				f.idx++
				continue
			}
			t.frames = t.frames[:len(t.frames)-1]
			if len(t.frames) == 0 {
				x.finish(s, t)
			} else {
				t.topw().unwinding = 2
			}
			continue
		}
		instr := f.instr()
		if b := instr.Block(); f.idx == 0 || instr == b.Instrs[0] {
			visits[b]++
			if visits[b] > localLoop {
				x.cut = true
				return forks, false
			}
		}
		switch in := instr.(type) {
		case *ssa.If:
			c := x.eval(f, in.Cond)
			if c.k == vConst && c.cv().Kind() == constant.Bool {
				x.jump(f, in.Block().Succs[b2i(!constant.BoolVal(c.cv()))])
				continue
			}
			if x.forks++; x.forks > x.lim.forks {
				x.over, x.why = true, "forks"
				return forks, false
			}
			n := s.fork()
			nf := n.thr(ti).topw()
			if bin, ok := in.Cond.(*ssa.BinOp); ok && bin.Parent() == f.fn {
				a, b := x.eval(f, bin.X), x.eval(f, bin.Y)
				s.learn(bin.Op, a, b, true)
				n.learn(bin.Op, a, b, false)
			}
			t = s.thr(ti) // s no longer owns it after the fork
			f = t.topw()
			if v, isReg := in.Cond.(ssa.Instruction); isReg && v.Parent() == f.fn {
				nf.set(in.Cond, val{k: vConst, x: constant.MakeBool(false)})
				f.set(in.Cond, val{k: vConst, x: constant.MakeBool(true)})
			}
			x.jump(nf, in.Block().Succs[1])
			forks = append(forks, n)
			x.jump(f, in.Block().Succs[0])
			if xtrace {
				desc := in.Parent().Name() + " " + in.Cond.String()
				if bin, ok := in.Cond.(*ssa.BinOp); ok {
					sb := &hasher{ren: map[int32]int32{}, text: new(strings.Builder)}
					x.eval(f, bin.X).write(sb)
					x.eval(f, bin.Y).write(sb)
					desc += " [" + sb.text.String() + "]"
				}
				s.step(XStep{Goroutine: gname(t.id), Instr: in, What: "branch true " + desc})
				n.step(XStep{Goroutine: gname(t.id), Instr: in, What: "branch false " + desc})
			}
		case *ssa.Jump:
			x.jump(f, in.Block().Succs[0])
		case *ssa.Return:
			res := make([]val, len(in.Results))
			for i, r := range in.Results {
				res[i] = x.eval(f, r)
			}
			t.lastAt = in
			t.frames = t.frames[:len(t.frames)-1]
			if len(t.frames) == 0 {
				if t.id == 0 {
					for _, r := range res {
						if x.tracked(s, r) {
							x.abort = true // the root's caller gets it
						}
					}
				}
				x.finish(s, t)
				continue
			}
			if f.discard {
				continue
			}
			caller := t.topw()
			switch len(res) {
			case 0:
			case 1:
				caller.set(caller.instr().(ssa.Value), res[0])
			default:
				caller.set(caller.instr().(ssa.Value), val{k: vTuple, x: res})
			}
			caller.idx++
		case *ssa.Panic:
			return forks, false // the program is over on this schedule
		case *ssa.RunDefers:
			f.unwinding = 1
		case *ssa.Defer:
			f.defers = append(f.defers, x.callOf(f, in.Common(), in))
			f.idx++
		case *ssa.Go:
			c := x.callOf(f, in.Common(), in)
			f.idx++
			if !x.spawn(s, t, c, in, -1) {
				return forks, false
			}
		case *ssa.Call:
			c := x.callOf(f, in.Common(), in)
			if !x.callLocal(s, t, c, in, false) {
				return forks, false
			}
		default:
			if !x.local(s, f, instr) {
				return forks, false
			}
			f.idx++
		}
	}
}

// finish ends thread t.
func (x *explorer) finish(s *state, t *thread) {
	t.done = true
	if t.wgDone >= 0 {
		s.mut(t.wgDone).n--
	}
}

// spawn starts a goroutine running c; wg is the WaitGroup of a
// WaitGroup.Go (-1: none).
func (x *explorer) spawn(s *state, t *thread, c call, at ssa.Instruction, wg int32) bool {
	if len(s.threads) >= x.lim.maxThreads {
		x.over, x.why = true, "threads"
		return false
	}
	n := &thread{id: len(s.threads), goAt: at, wgDone: wg, owner: s.id}
	n.pending = &c
	s.threads = append(s.threads, n)
	s.step(XStep{Goroutine: gname(t.id), Instr: at, What: "starts " + gname(n.id)})
	return true
}

// jump moves f to block to, assigning its phis together.
func (x *explorer) jump(f *frame, to *ssa.BasicBlock) {
	from := f.fn.Blocks[f.block]
	pred := -1
	for i, p := range to.Preds {
		if p == from {
			pred = i
			break
		}
	}
	var phis []*ssa.Phi
	var vals []val
	i := 0
	for ; i < len(to.Instrs); i++ {
		phi, ok := to.Instrs[i].(*ssa.Phi)
		if !ok {
			break
		}
		v := top
		if pred >= 0 {
			v = x.eval(f, phi.Edges[pred])
		}
		phis = append(phis, phi)
		vals = append(vals, v)
	}
	for j, phi := range phis {
		f.set(phi, vals[j])
	}
	f.prev, f.block, f.idx = from.Index, to.Index, i
}

func (x *explorer) newFrame(s *state, fn *ssa.Function, c *call) *frame {
	ix := x.index(fn)
	f := &frame{fn: fn, ix: ix, regs: newRegs(ix.n), owner: -1}
	if c != nil {
		args := c.args
		for i, p := range fn.Params {
			if i < len(args) {
				f.set(p, args[i])
			} else {
				f.set(p, top)
			}
		}
		if c.fn.k == vRef && s.heap[c.fn.ref].kind == oClosure {
			b := s.heap[c.fn.ref].vals
			for i, fv := range fn.FreeVars {
				if i < len(b) {
					f.set(fv, b[i])
				}
			}
		}
	}
	// Skip the entry block's phis (there are none) and start at 0.
	return f
}

// eval is the value of v in f.
func (x *explorer) eval(f *frame, v ssa.Value) val {
	switch v := v.(type) {
	case *ssa.Const:
		if v.Value == nil {
			switch v.Type().Underlying().(type) {
			case *types.Basic:
				return zeroBasic(v.Type())
			case *types.Struct, *types.Array:
				return top
			}
			return val{k: vNil}
		}
		return val{k: vConst, x: v.Value}
	case *ssa.Function:
		return val{k: vFunc, x: v}
	case *ssa.Global, *ssa.Builtin:
		return top
	}
	if r, ok := f.get(v); ok {
		return r
	}
	return top
}

func zeroBasic(t types.Type) val {
	b, _ := t.Underlying().(*types.Basic)
	switch {
	case b == nil:
		return top
	case b.Info()&types.IsBoolean != 0:
		return val{k: vConst, x: constant.MakeBool(false)}
	case b.Info()&types.IsString != 0:
		return val{k: vConst, x: constant.MakeString("")}
	case b.Info()&types.IsInteger != 0:
		return val{k: vConst, x: constant.MakeInt64(0)}
	case b.Info()&types.IsFloat != 0:
		return val{k: vConst, x: constant.MakeFloat64(0)}
	case b.Kind() == types.UnsafePointer || b.Kind() == types.UntypedNil:
		return val{k: vNil}
	}
	return top
}

// zero is the zero value of t, made in s's heap when it is a struct or
// an array.
func (x *explorer) zero(s *state, t types.Type) val {
	if t == nil {
		return top
	}
	switch t.Underlying().(type) {
	case *types.Basic:
		return zeroBasic(t)
	case *types.Struct, *types.Array:
		return x.newObj(s, t)
	}
	return val{k: vNil}
}

// syncKind is the kind of object a sync type is.
func syncKind(t types.Type) (okind, bool) {
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return 0, false
	}
	switch n.Obj().Name() {
	case "Mutex":
		return oMutex, true
	case "RWMutex":
		return oRWMutex, true
	case "WaitGroup":
		return oWaitGroup, true
	case "Once":
		return oOnce, true
	case "Cond":
		return oCond, true
	}
	return 0, false
}

// maxArray bounds the arrays and slices the explorer keeps element by
// element; a bigger one is ⊤.
const maxArray = 16

// newObj makes a zero value of type t in s's heap and refers to it.
func (x *explorer) newObj(s *state, t types.Type) val {
	if k, ok := syncKind(t); ok {
		o := obj{kind: k, typ: t, parent: -1, done: -1}
		if k == oCond {
			st := t.Underlying().(*types.Struct)
			for i := 0; i < st.NumFields(); i++ {
				o.fields = append(o.fields, x.newObj(s, st.Field(i).Type()).ref)
			}
		}
		return s.alloc(o)
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		o := obj{kind: oStruct, typ: t, parent: -1, done: -1}
		for i := 0; i < u.NumFields(); i++ {
			o.fields = append(o.fields, x.newObj(s, u.Field(i).Type()).ref)
		}
		return s.alloc(o)
	case *types.Array:
		if u.Len() <= maxArray {
			o := obj{kind: oArray, typ: t, parent: -1, done: -1}
			for i := int64(0); i < u.Len(); i++ {
				o.fields = append(o.fields, x.newObj(s, u.Elem()).ref)
			}
			return s.alloc(o)
		}
		return s.alloc(obj{kind: oCell, typ: t, vals: []val{top}, parent: -1, done: -1})
	}
	return s.alloc(obj{kind: oCell, typ: t, vals: []val{zeroBasicOrNil(t)}, parent: -1, done: -1})
}

func zeroBasicOrNil(t types.Type) val {
	if _, ok := t.Underlying().(*types.Basic); ok {
		return zeroBasic(t)
	}
	return val{k: vNil}
}

// load reads the value at pointer p.
func (x *explorer) load(s *state, p val) (val, bool) {
	switch p.k {
	case vNil:
		return top, false // a nil dereference: the program panics
	case vRef:
		o := s.heap[p.ref]
		if o.kind == oCell {
			return o.vals[0], true
		}
		return p, true // a struct, an array, a sync value: by reference
	}
	if p.k == vTop && p.sym != 0 {
		if v, ok := s.envw[p.sym]; ok {
			return v, true
		}
		return x.derive(s, p, '*', 0), true
	}
	return x.fresh(), true
}

// store writes v at pointer p.
func (x *explorer) store(s *state, p, v val) bool {
	switch p.k {
	case vNil:
		return false
	case vRef:
		o := s.mut(p.ref)
		switch o.kind {
		case oCell:
			o.vals[0] = v
		case oStruct, oArray:
			if v.k == vRef && len(s.heap[v.ref].fields) == len(o.fields) && v.ref != p.ref {
				src := s.heap[v.ref].fields
				for i, r := range o.fields {
					if s.heap[r].kind == oCell {
						if sv, ok := x.load(s, val{k: vRef, ref: src[i]}); ok {
							s.mut(r).vals[0] = sv
						}
					} else {
						x.store(s, val{k: vRef, ref: r}, val{k: vRef, ref: src[i]})
					}
				}
			} else if v.k != vRef {
				x.havoc(s, p)
			}
		}
		return true
	}
	if x.tracked(s, v) {
		x.abort = true
	}
	if p.k == vTop && p.sym != 0 {
		if s.envw == nil {
			s.envw = map[int32]val{}
		}
		s.envw[p.sym] = v
	}
	return true
}

// tracked reports whether v reaches an object whose synchronisation the
// explorer tracks: a channel, mutex, WaitGroup, Cond, Once, context or
// cancel func the root made.
func (x *explorer) tracked(s *state, v val) bool {
	seen := map[int32]bool{}
	found := false
	var walk func(v val)
	walk = func(v val) {
		v.refs(func(r int32) {
			if found || seen[r] {
				return
			}
			seen[r] = true
			o := s.heap[r]
			switch o.kind {
			case oChan, oMutex, oRWMutex, oWaitGroup, oCond, oOnce, oContext, oCancel:
				found = true
				return
			}
			o.each(walk)
		})
	}
	walk(v)
	return found
}

// havoc forgets the data reachable from v: unseen code may have written
// it.
func (x *explorer) havoc(s *state, v val) {
	seen := map[int32]bool{}
	var walk func(v val)
	walk = func(v val) {
		v.refs(func(r int32) {
			if seen[r] {
				return
			}
			seen[r] = true
			o := s.mut(r)
			switch o.kind {
			case oCell:
				if o.vals[0].k != vRef {
					o.vals[0] = top
				}
			case oMap:
				o.flag = true
			}
			o.each(walk)
		})
	}
	walk(v)
}

// escape is called where v is given to code the explorer does not see.
func (x *explorer) escape(s *state, v val) {
	if x.tracked(s, v) {
		x.abort = true
		return
	}
	x.havoc(s, v)
}

// local runs one instruction with no control or synchronisation effect.
// It is false when the schedule ends there (a panic, something not
// modelled).
func (x *explorer) local(s *state, f *frame, instr ssa.Instruction) bool {
	set := func(v val) { f.set(instr.(ssa.Value), v) }
	switch in := instr.(type) {
	case *ssa.DebugRef:
	case *ssa.Alloc:
		set(x.newObj(s, typeElem(in.Type())))
	case *ssa.MakeChan:
		n := x.eval(f, in.Size)
		if n.k != vConst {
			x.abort, x.why = true, "cap" // a capacity the explorer cannot know
			return false
		}
		c, _ := constant.Int64Val(constant.ToInt(n.cv()))
		set(s.alloc(obj{kind: oChan, typ: in.Type(), n: int(c), parent: -1, done: -1}))
	case *ssa.MakeMap:
		set(s.alloc(obj{kind: oMap, typ: in.Type(), parent: -1, done: -1}))
	case *ssa.MakeSlice:
		n := x.eval(f, in.Len)
		if n.k == vConst {
			if l, ok := constant.Int64Val(constant.ToInt(n.cv())); ok && l >= 0 && l <= maxArray {
				arr := types.NewArray(in.Type().Underlying().(*types.Slice).Elem(), l)
				set(x.newObj(s, arr))
				break
			}
		}
		set(top)
	case *ssa.MakeClosure:
		o := obj{kind: oClosure, fn: in.Fn.(*ssa.Function), parent: -1, done: -1}
		for _, b := range in.Bindings {
			o.vals = append(o.vals, x.eval(f, b))
		}
		set(s.alloc(o))
	case *ssa.FieldAddr:
		p := x.eval(f, in.X)
		switch p.k {
		case vNil:
			return false
		case vRef:
			o := s.heap[p.ref]
			if in.Field < len(o.fields) {
				set(val{k: vRef, ref: o.fields[in.Field]})
				break
			}
			set(top)
		default:
			set(x.derive(s, p, 'f', in.Field))
		}
	case *ssa.Field:
		p := x.eval(f, in.X)
		if p.k == vTop {
			set(x.derive(s, p, 'F', in.Field))
			break
		}
		if p.k == vRef && in.Field < len(s.heap[p.ref].fields) {
			v, _ := x.load(s, val{k: vRef, ref: s.heap[p.ref].fields[in.Field]})
			set(v)
			break
		}
		set(top)
	case *ssa.IndexAddr:
		p, i := x.eval(f, in.X), x.eval(f, in.Index)
		if p.k == vNil {
			return false
		}
		if r, ok := x.elem(s, p, i); ok {
			set(val{k: vRef, ref: r})
			break
		}
		if p.k == vTop && i.k == vConst {
			if n, ok := constant.Int64Val(constant.ToInt(i.cv())); ok {
				set(x.derive(s, p, 'i', int(n)))
				break
			}
		}
		set(top)
	case *ssa.Index:
		p, i := x.eval(f, in.X), x.eval(f, in.Index)
		if r, ok := x.elem(s, p, i); ok {
			v, _ := x.load(s, val{k: vRef, ref: r})
			set(v)
			break
		}
		set(top)
	case *ssa.Slice:
		p := x.eval(f, in.X)
		if p.k == vRef && s.heap[p.ref].kind == oArray {
			o := s.heap[p.ref]
			lo, hi := 0, len(o.fields)
			okLo, okHi := in.Low == nil, in.High == nil
			if in.Low != nil {
				lo, okLo = intOf(x.eval(f, in.Low))
			}
			if in.High != nil {
				hi, okHi = intOf(x.eval(f, in.High))
			}
			if okLo && okHi && lo == 0 && hi == len(o.fields) {
				set(p) // the same elements
				break
			}
			if okLo && okHi && 0 <= lo && lo <= hi && hi <= len(o.fields) {
				// A view of some of the elements: the same element
				// objects, so writes through either are seen by both.
				set(s.alloc(obj{kind: oArray, typ: o.typ, fields: slices.Clone(o.fields[lo:hi]), parent: -1, done: -1}))
				break
			}
			if okLo && !okHi && lo == 0 {
				set(p) // from 0 to an unknown length: the elements it may have
				break
			}
		}
		if p.k == vRef && x.tracked(s, p) {
			x.abort = true
			return false
		}
		set(top)
	case *ssa.Lookup:
		m, k := x.eval(f, in.X), x.eval(f, in.Index)
		if m.k == vRef && s.heap[m.ref].kind == oMap {
			o := s.heap[m.ref]
			if k.k != vConst || o.flag {
				if x.tracked(s, m) {
					x.abort = true
					return false
				}
				set(commaOk(in.CommaOk, x.fresh(), x.fresh()))
				break
			}
			key := k.cv().ExactString()
			for i, kk := range o.keys {
				if kk == key {
					set(commaOk(in.CommaOk, o.vals[i], boolVal(true)))
					return true
				}
			}
			var elem types.Type
			if mt, ok := in.X.Type().Underlying().(*types.Map); ok {
				elem = mt.Elem()
			}
			set(commaOk(in.CommaOk, x.zero(s, elem), boolVal(false)))
			break
		}
		if m.k == vNil {
			set(commaOk(in.CommaOk, x.zero(s, in.Type()), boolVal(false)))
			break
		}
		set(commaOk(in.CommaOk, x.fresh(), x.fresh()))
	case *ssa.MapUpdate:
		m, k, v := x.eval(f, in.Map), x.eval(f, in.Key), x.eval(f, in.Value)
		if m.k == vNil {
			return false
		}
		if m.k != vRef || s.heap[m.ref].kind != oMap {
			x.escape(s, v)
			return !x.abort
		}
		o := s.mut(m.ref)
		if k.k != vConst {
			o.flag = true
			o.vals = append(o.vals, v)
			o.keys = append(o.keys, "?")
			break
		}
		key := k.cv().ExactString()
		for i, kk := range o.keys {
			if kk == key {
				o.vals[i] = v
				return true
			}
		}
		o.keys = append(o.keys, key)
		o.vals = append(o.vals, v)
	case *ssa.Range:
		m := x.eval(f, in.X)
		if m.k == vRef && s.heap[m.ref].kind == oMap {
			set(s.alloc(obj{kind: oIter, vals: []val{m}, parent: -1, done: -1}))
			break
		}
		set(top)
	case *ssa.Next:
		it := x.eval(f, in.Iter)
		if it.k == vRef && s.heap[it.ref].kind == oIter {
			o := s.mut(it.ref)
			m := s.heap[o.vals[0].ref]
			// A map that lost its keys (stored under unknown ones) is
			// ranged over as if those keys were all different: each
			// value stored is one entry.
			if o.n < len(m.keys) {
				k := m.keys[o.n]
				kv := top
				if c := constantOf(k); c != nil {
					kv = val{k: vConst, x: c}
				}
				set(val{k: vTuple, x: []val{boolVal(true), kv, m.vals[o.n]}})
				o.n++
				break
			}
			set(val{k: vTuple, x: []val{boolVal(false), top, top}})
			break
		}
		set(val{k: vTuple, x: []val{x.fresh(), x.fresh(), x.fresh()}})
	case *ssa.Store:
		p := x.eval(f, in.Addr)
		if !x.store(s, p, x.eval(f, in.Val)) {
			return false
		}
		return !x.abort
	case *ssa.UnOp:
		v := x.eval(f, in.X)
		switch in.Op {
		case token.MUL:
			if g, ok := in.X.(*ssa.Global); ok && isError(typeElem(g.Type())) {
				set(nonNil) // a sentinel error: set once, never nil
				break
			}
			r, ok := x.load(s, v)
			if !ok {
				return false
			}
			set(r)
		case token.ARROW: // a receive on ⊤: the environment's
			set(commaOk(in.CommaOk, x.fresh(), x.fresh()))
		default:
			if v.k == vConst && (in.Op != token.XOR || isSigned(in.X.Type())) {
				set(val{k: vConst, x: constant.UnaryOp(in.Op, v.cv(), 0)})
				break
			}
			set(top)
		}
	case *ssa.BinOp:
		a, b := x.eval(f, in.X), x.eval(f, in.Y)
		if r, ok := s.compare(in.Op, a, b); ok {
			set(boolVal(r))
			break
		}
		set(binop(in.Op, a, b, in.X.Type()))
	case *ssa.Phi:
		// assigned by jump
	case *ssa.Extract:
		t := x.eval(f, in.Tuple)
		if t.k == vTuple && in.Index < len(t.tuple()) {
			set(t.tuple()[in.Index])
			break
		}
		set(top)
	case *ssa.ChangeType:
		set(x.eval(f, in.X))
	case *ssa.ChangeInterface:
		set(x.eval(f, in.X))
	case *ssa.SliceToArrayPointer:
		set(x.eval(f, in.X))
	case *ssa.Convert:
		set(convert(x.eval(f, in.X), in.Type()))
	case *ssa.MultiConvert:
		set(top)
	case *ssa.MakeInterface:
		v := x.eval(f, in.X)
		switch {
		case v.k == vRef || v.k == vFunc || v.k == vConst:
			v.t = in.X.Type()
			set(v)
		case v.k == vTop && v.sym != 0:
			// Never nil, whatever it holds; derived from it (one origin).
			iv := x.derive(s, v, 'I', 0)
			iv.nn = true
			set(iv)
		case v.k == vTop && v.nn:
			set(nonNil)
		default:
			set(top)
		}
	case *ssa.TypeAssert:
		v := x.eval(f, in.X)
		if v.k == vNil {
			if !in.CommaOk {
				return false
			}
			set(commaOk(true, zeroBasicOrNil(in.AssertedType), boolVal(false)))
			break
		}
		if v.t == nil {
			set(commaOk(in.CommaOk, x.fresh(), x.fresh()))
			break
		}
		var ok bool
		if iface, isIface := in.AssertedType.Underlying().(*types.Interface); isIface {
			ok = types.Implements(v.t, iface)
		} else {
			ok = types.Identical(v.t, in.AssertedType)
			if ok {
				v.t = nil
			}
		}
		if !in.CommaOk {
			if !ok {
				return false
			}
			set(v)
			break
		}
		if !ok {
			v = zeroBasicOrNil(in.AssertedType)
		}
		set(val{k: vTuple, x: []val{v, boolVal(ok)}})
	case *ssa.Send, *ssa.Select:
		// on ⊤ channels only (opOf takes the others): the environment's
		if sel, ok := in.(*ssa.Select); ok {
			tup := []val{top, top}
			for _, st := range sel.States {
				if st.Dir == types.RecvOnly {
					tup = append(tup, top)
				}
			}
			set(val{k: vTuple, x: tup})
		}
		if snd, ok := in.(*ssa.Send); ok {
			x.escape(s, x.eval(f, snd.X))
			return !x.abort
		}
	default:
		// An instruction the explorer does not model.
		x.cut = true
		return false
	}
	return true
}

func isSigned(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsUnsigned == 0
}

// intOf is v as an int, if it is a constant that fits.
func intOf(v val) (int, bool) {
	if v.k != vConst {
		return 0, false
	}
	i, ok := constant.Int64Val(constant.ToInt(v.cv()))
	return int(i), ok && i == int64(int(i))
}

func boolVal(b bool) val { return val{k: vConst, x: constant.MakeBool(b)} }

func commaOk(ok bool, v, okv val) val {
	if !ok {
		return v
	}
	return val{k: vTuple, x: []val{v, okv}}
}

// constantOf reads back a map key written with ExactString.
func constantOf(s string) constant.Value {
	if s == "?" {
		return nil
	}
	if s == "true" || s == "false" {
		return constant.MakeBool(s == "true")
	}
	if v := constant.MakeFromLiteral(s, token.INT, 0); v.Kind() != constant.Unknown {
		return v
	}
	if v := constant.MakeFromLiteral(s, token.STRING, 0); v.Kind() != constant.Unknown {
		return v
	}
	return nil
}

// elem is the element object i of the array or slice p refers to.
func (x *explorer) elem(s *state, p, i val) (int32, bool) {
	if p.k != vRef {
		return 0, false
	}
	o := s.heap[p.ref]
	if o.kind != oArray {
		if o.kind == oCell {
			// a pointer to an array kept whole, or an array too big
			if v := o.vals[0]; v.k == vRef && s.heap[v.ref].kind == oArray {
				return x.elem(s, v, i)
			}
		}
		return 0, false
	}
	if i.k == vConst {
		if n, ok := constant.Int64Val(constant.ToInt(i.cv())); ok && n >= 0 && n < int64(len(o.fields)) {
			return o.fields[n], true
		}
	}
	if x.tracked(s, p) {
		x.abort = true // an element the explorer cannot name
	}
	return 0, false
}

func binop(op token.Token, a, b val, t types.Type) val {
	if a.k == vConst && b.k == vConst {
		switch op {
		case token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			if a.cv().Kind() != b.cv().Kind() && !(isNum(a.cv()) && isNum(b.cv())) {
				return top
			}
			return boolVal(constant.Compare(a.cv(), op, b.cv()))
		case token.SHL, token.SHR:
			n, ok := constant.Uint64Val(constant.ToInt(b.cv()))
			if !ok || n > 64 || a.cv().Kind() != constant.Int {
				return top
			}
			return val{k: vConst, x: constant.Shift(a.cv(), op, uint(n))}
		case token.QUO, token.REM:
			if constant.Sign(b.cv()) == 0 {
				return top
			}
			if isInteger(t) {
				if op == token.QUO {
					op = token.QUO_ASSIGN
				}
			}
		}
		if a.cv().Kind() == constant.Bool || b.cv().Kind() == constant.Bool {
			return top
		}
		if a.cv().Kind() == constant.String && (op != token.ADD || b.cv().Kind() != constant.String) {
			return top
		}
		defer func() { _ = recover() }() // a mismatch go/constant panics on
		return val{k: vConst, x: constant.BinaryOp(a.cv(), op, b.cv())}
	}
	if op == token.EQL || op == token.NEQ {
		if (a.k == vTop && a.nn && b.k == vNil) || (b.k == vTop && b.nn && a.k == vNil) {
			return boolVal(op == token.NEQ)
		}
		eq, known := sameRef(a, b)
		if known {
			return boolVal(eq == (op == token.EQL))
		}
	}
	return top
}

func sameRef(a, b val) (eq, known bool) {
	switch {
	case a.k == vRef && b.k == vRef:
		return a.ref == b.ref, true
	case a.k == vNil && b.k == vNil:
		return true, true
	case (a.k == vRef && b.k == vNil) || (a.k == vNil && b.k == vRef):
		return false, true
	case (a.k == vFunc && b.k == vNil) || (a.k == vNil && b.k == vFunc):
		return false, true
	}
	return false, false
}

func isNum(c constant.Value) bool {
	k := c.Kind()
	return k == constant.Int || k == constant.Float
}

func isInteger(t types.Type) bool {
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

func convert(v val, t types.Type) val {
	if v.k != vConst {
		if v.k == vRef || v.k == vNil {
			return val{k: v.k, ref: v.ref}
		}
		return top
	}
	b, ok := t.Underlying().(*types.Basic)
	if !ok {
		return top
	}
	switch {
	case b.Info()&types.IsInteger != 0 && isNum(v.cv()):
		c := constant.ToInt(v.cv())
		if c.Kind() != constant.Int {
			return top
		}
		return val{k: vConst, x: c}
	case b.Info()&types.IsFloat != 0 && isNum(v.cv()):
		return val{k: vConst, x: constant.ToFloat(v.cv())}
	case b.Info()&types.IsString != 0 && v.cv().Kind() == constant.String:
		return v
	case b.Info()&types.IsBoolean != 0 && v.cv().Kind() == constant.Bool:
		return v
	}
	return top
}

// callOf evaluates a call's function and arguments.
func (x *explorer) callOf(f *frame, c *ssa.CallCommon, at ssa.Instruction) call {
	cl := call{at: at}
	if c.IsInvoke() {
		cl.method = c.Method
		cl.fn = top
		cl.args = append(cl.args, x.eval(f, c.Value))
	} else {
		cl.fn = x.eval(f, c.Value)
		if b, ok := c.Value.(*ssa.Builtin); ok {
			cl.fn = val{k: vFunc}
			cl.builtin = b
		}
	}
	for _, a := range c.Args {
		cl.args = append(cl.args, x.eval(f, a))
	}
	return cl
}

// target is the function a call runs and its types.Func for the known
// APIs; fn is nil for unseen code.
func (x *explorer) target(s *state, c call) (fn *ssa.Function, obj *types.Func) {
	if c.method != nil {
		recv := c.args[0]
		if recv.t != nil && (recv.k == vRef || recv.k == vConst || recv.k == vFunc) {
			prog := x.root.Prog
			if g := prog.LookupMethod(recv.t, c.method.Pkg(), c.method.Name()); g != nil {
				fo, _ := g.Object().(*types.Func)
				return g, fo
			}
		}
		return nil, c.method
	}
	switch c.fn.k {
	case vFunc:
		if c.fn.fnv() == nil {
			return nil, nil
		}
		fo, _ := c.fn.fnv().Object().(*types.Func)
		return c.fn.fnv(), fo
	case vRef:
		if o := s.heap[c.fn.ref]; o.kind == oClosure {
			fo, _ := o.fn.Object().(*types.Func)
			return o.fn, fo
		}
	}
	return nil, nil
}

// interpreted reports whether the explorer runs fn's body.
func (x *explorer) interpreted(fn *ssa.Function) bool {
	if fn == nil || fn.Blocks == nil || fn.TypeParams().Len() > 0 {
		return false
	}
	if fn.Pkg == x.root.Pkg {
		return true
	}
	if o := fn.Origin(); o != nil && o.Pkg == x.root.Pkg {
		return true
	}
	// wrappers and bound methods of the package's methods
	return fn.Synthetic != ""
}

// callLocal runs a call that is not a synchronising operation: it
// pushes a frame for the package's functions, does what a known API
// does, or gives the arguments to unseen code. in is the call
// instruction whose value receives the result (nil for a deferred or
// spawned call: discard).
func (x *explorer) callLocal(s *state, t *thread, c call, in *ssa.Call, discard bool) bool {
	advance := func(v val) {
		if in != nil {
			f := t.topw()
			f.set(in, v)
			f.idx++
		}
	}
	if c.builtin != nil {
		return x.builtin(s, t, c, in, advance)
	}
	fn, fo := x.target(s, c)
	api := x.m.api
	if testFails(fo) {
		// The test fails (or skips) on this schedule and says so: what its
		// goroutines do then is the failure's.
		return false
	}
	switch {
	case api.NoReturn(fo) && !api.Goexits(fo):
		return false // os.Exit, log.Fatal: the program is over
	case api.NoReturn(fo):
		if len(t.frames) > 0 {
			t.topw().unwinding = 2
			if in != nil {
				t.topw().idx++
			}
		}
		return true
	}
	if d := api.ContextDerive(fo); d != apis.NotContext {
		advance(x.deriveContext(s, d, c))
		return true
	}
	if api.IsDone(fo) || (fo != nil && fo.Name() == "Done" && c.method != nil && api.IsContext(c.method.Signature().Recv().Type())) {
		advance(x.doneChan(s, c.args[0]))
		return true
	}
	if c.method != nil && c.args[0].k == vRef && s.heap[c.args[0].ref].kind == oContext {
		advance(top) // Err, Value, Deadline of a context the root made
		return true
	}
	if c.fn.k == vRef && s.heap[c.fn.ref].kind == oCancel {
		advance(top) // a cancel whose context is ⊤ (opOf takes the others)
		return true
	}
	if x.m.isAfterFunc(fo) && len(c.args) == 2 {
		// The function runs in a goroutine of its own once the timer
		// fires, at any point from now on, unless Stop comes first.
		tm := s.alloc(obj{kind: oTimer, typ: typeElem(fo.Signature().Results().At(0).Type()), vals: []val{c.args[1]}, parent: -1, done: -1})
		if !x.spawn(s, t, call{fn: c.args[1], at: c.at}, c.at, -1) {
			return false
		}
		u := s.threads[len(s.threads)-1]
		u.timer = tm.ref + 1
		s.lastStep().What = "arms a timer: its function will run in " + gname(u.id)
		advance(tm)
		return true
	}
	if fo != nil && fo.Pkg() != nil && fo.Pkg().Path() == "sync" {
		switch fo.Name() {
		case "NewCond":
			cv := x.newObj(s, typeElem(fo.Signature().Results().At(0).Type()))
			o := s.heap[cv.ref]
			if st, ok := typeElem(fo.Signature().Results().At(0).Type()).Underlying().(*types.Struct); ok {
				for i := 0; i < st.NumFields(); i++ {
					if st.Field(i).Name() == "L" && i < len(o.fields) {
						s.mut(o.fields[i]).vals[0] = c.args[0]
					}
				}
			}
			advance(cv)
			return true
		case "RLocker":
			// A Locker whose Lock and Unlock read-lock the RWMutex (sync's
			// rlocker), as sync.NewCond(mu.RLocker()) uses it.
			if x.isKind(s, c.args[0], oRWMutex) {
				advance(s.alloc(obj{kind: oRLocker, parent: c.args[0].ref, done: -1}))
				return true
			}
		case "Do": // Once.Do
			once := c.args[0]
			if once.k == vRef && s.heap[once.ref].kind == oOnce {
				if s.heap[once.ref].flag {
					advance(top)
					return true
				}
				s.mut(once.ref).flag = true
			}
			if in != nil {
				t.topw().idx++
			}
			return x.push(s, t, call{fn: c.args[1], at: c.at}, true)
		}
		if api.LockOpOf(fo) != apis.NotLockOp || api.WaitGroupMethod(fo) != "" {
			advance(top) // on a ⊤ receiver (opOf takes the others): the environment's
			return true
		}
	}
	if x.interpreted(fn) {
		return x.enter(s, t, fn, c, discard)
	}
	if fo != nil && fo.Pkg() != nil && fo.Pkg().Path() == "testing" && fo.Name() == "Run" && len(c.args) == 3 {
		// t.Run(name, f) runs f and waits for it. A subtest that calls
		// t.Parallel does not hold its parent: Run returns when it
		// calls Parallel, and the rest of it runs once the parent's
		// function has returned, beside its parallel siblings. It is
		// explored as a goroutine of its own started here, which allows
		// every order the test can take and more (its first part is
		// not held before Run returns).
		sub := call{fn: c.args[2], args: []val{top}, at: c.at}
		if g, _ := x.target(s, sub); g != nil && callsParallel(g) {
			if !x.spawn(s, t, sub, c.at, -1) {
				return false
			}
			advance(top)
			return true
		}
		advance(top)
		return x.push(s, t, sub, true)
	}
	if fo != nil && fo.Pkg() != nil && ((fo.Pkg().Path() == "errors" && fo.Name() == "New") || (fo.Pkg().Path() == "fmt" && fo.Name() == "Errorf")) {
		advance(nonNil)
		return true
	}
	// Unseen code: it may keep or use what it is given, and change what
	// it is given a pointer into: loads after it are new unknowns.
	for _, a := range c.args {
		x.escape(s, a)
		if a.k == vTop && a.sym != 0 {
			s.forget()
			x.use(t, a.sym)
		}
	}
	x.escape(s, c.fn)
	if x.abort {
		return false
	}
	if in != nil {
		// Each result is a new unknown of its own: what the caller learns
		// of it (err != nil) holds wherever it goes.
		if tup, ok := in.Type().(*types.Tuple); ok {
			r := make([]val, tup.Len())
			for i := range r {
				r[i] = x.fresh()
				if i > 0 && r[i].sym != 0 && r[0].sym != 0 {
					x.originOf[r[i].sym] = r[0].sym // one call's results: one object (r, w := io.Pipe())
				}
			}
			advance(val{k: vTuple, x: r})
		} else {
			advance(x.fresh())
		}
	}
	return true
}

// fresh is a new unknown, with a symbol of its own: what is learnt of
// it (err != nil) holds wherever it goes. States are hashed with their
// symbols renamed, so a fresh result nothing reads does not make a new
// state.
func (x *explorer) fresh() val {
	if x.nextSym >= lenSyms-1 {
		return top
	}
	x.nextSym++
	return val{k: vTop, sym: x.nextSym}
}

// push calls c from thread t with its result discarded.
func (x *explorer) push(s *state, t *thread, c call, discard bool) bool {
	fn, _ := x.target(s, c)
	if !x.interpreted(fn) {
		x.escape(s, c.fn)
		for _, a := range c.args {
			x.escape(s, a)
		}
		return !x.abort
	}
	return x.enter(s, t, fn, c, discard)
}

// enter pushes a frame of the package's function fn for call c on t (its
// result discarded when discard); false past the frame budget.
func (x *explorer) enter(s *state, t *thread, fn *ssa.Function, c call, discard bool) bool {
	if len(t.frames) >= x.lim.maxFrames {
		x.cut = true
		return false
	}
	nf := x.newFrame(s, fn, &c)
	nf.discard, nf.owner = discard, t.owner
	for _, c := range nf.regs {
		if c != nil {
			c.owner = t.owner // new: nothing else refers to them
		}
	}
	t.frames = append(t.frames, nf)
	return true
}

func (x *explorer) builtin(s *state, t *thread, c call, in *ssa.Call, advance func(val)) bool {
	switch c.builtin.Name() {
	case "len", "cap":
		a := c.args[0]
		if a.k == vTop && a.sym > 0 && a.sym < lenSyms {
			// The length of an unknown slice: unknown, but the same
			// each time, and what branches learnt of it holds.
			advance(val{k: vTop, sym: a.sym + lenSyms})
			return true
		}
		if a.k == vRef {
			o := s.heap[a.ref]
			switch {
			case o.kind == oArray:
				advance(val{k: vConst, x: constant.MakeInt64(int64(len(o.fields)))})
				return true
			case o.kind == oMap && !o.flag && c.builtin.Name() == "len":
				advance(val{k: vConst, x: constant.MakeInt64(int64(len(o.keys)))})
				return true
			case o.kind == oChan:
				n := len(o.vals)
				if c.builtin.Name() == "cap" {
					n = o.n
				}
				advance(val{k: vConst, x: constant.MakeInt64(int64(n))})
				return true
			}
		}
		if a.k == vConst && a.cv().Kind() == constant.String {
			advance(val{k: vConst, x: constant.MakeInt64(int64(len(constant.StringVal(a.cv()))))})
			return true
		}
		if a.k == vNil {
			advance(val{k: vConst, x: constant.MakeInt64(0)})
			return true
		}
		advance(top)
	case "ssa:wrapnilchk":
		if c.args[0].k == vNil {
			return false
		}
		advance(c.args[0])
	case "delete":
		if m := c.args[0]; m.k == vRef && s.heap[m.ref].kind == oMap {
			o := s.mut(m.ref)
			if k := c.args[1]; k.k == vConst {
				key := k.cv().ExactString()
				for i, kk := range o.keys {
					if kk == key {
						o.keys = append(o.keys[:i:i], o.keys[i+1:]...)
						o.vals = append(o.vals[:i:i], o.vals[i+1:]...)
						break
					}
				}
			} else {
				o.flag = true
			}
		}
		advance(top)
	case "print", "println", "recover", "min", "max", "real", "imag", "complex":
		advance(top)
	case "append":
		if r, ok := x.appendArray(s, c.args); ok {
			advance(r)
			return true
		}
		return x.unseenBuiltin(s, c, advance)
	default:
		return x.unseenBuiltin(s, c, advance)
	}
	return true
}

// appendArray appends to a slice the explorer keeps element by element:
// a new array of the elements of both (struct elements shared, as the
// explorer keeps struct values by reference).
func (x *explorer) appendArray(s *state, args []val) (val, bool) {
	var elems []int32
	for _, a := range args {
		switch {
		case a.k == vNil:
		case a.k == vRef && s.heap[a.ref].kind == oArray:
			elems = append(elems, s.heap[a.ref].fields...)
		default:
			return top, false
		}
	}
	if len(elems) > maxArray {
		return top, false
	}
	o := obj{kind: oArray, parent: -1, done: -1}
	for _, e := range elems {
		if src := s.heap[e]; src.kind == oCell {
			o.fields = append(o.fields, s.alloc(obj{kind: oCell, typ: src.typ, vals: []val{src.vals[0]}, parent: -1, done: -1}).ref)
		} else {
			o.fields = append(o.fields, e)
		}
	}
	return s.alloc(o), true
}

// unseenBuiltin is copy, clear, and append to what the explorer does not
// keep element by element: where the elements go is not followed.
func (x *explorer) unseenBuiltin(s *state, c call, advance func(val)) bool {
	switch c.builtin.Name() {
	case "copy":
		// copy(dst, src) writes dst's elements and only reads src's.
		dst, src := c.args[0], c.args[1]
		if x.isKind(s, dst, oArray) && x.isKind(s, src, oArray) {
			df, sf := s.heap[dst.ref].fields, s.heap[src.ref].fields
			n := min(len(df), len(sf))
			// Element by element, the values first: the two may
			// overlap (copy(s[1:], s)).
			vals := make([]val, n)
			for i := range n {
				vals[i], _ = x.load(s, val{k: vRef, ref: sf[i]})
			}
			for i := range n {
				x.store(s, val{k: vRef, ref: df[i]}, vals[i])
			}
			advance(val{k: vConst, x: constant.MakeInt64(int64(n))})
			return true
		}
		if x.tracked(s, dst) {
			x.abort = true
			return false
		}
		x.havoc(s, dst)
		advance(top)
	default:
		for _, a := range c.args {
			if x.tracked(s, a) {
				x.abort = true
				return false
			}
			x.havoc(s, a)
		}
		advance(top)
	}
	return true
}

// lenSyms separates the symbols of unknown slices (the root's
// parameters, from 1) from the symbols of their lengths.
const lenSyms = 1 << 20

// A symbol's bounds: what the branches taken so far say of it.
type bounds struct{ lo, hi int64 }

func (s *state) boundsOf(sym int32) bounds {
	if b, ok := s.syms[sym]; ok {
		return b
	}
	if sym >= lenSyms {
		return bounds{0, math.MaxInt64}
	}
	return bounds{math.MinInt64, math.MaxInt64}
}

// symConst splits a comparison of an unknown with a symbol and a
// constant integer into the symbol, the constant, and the operator with
// the symbol on the left.
func symConst(op token.Token, a, b val) (int32, int64, token.Token, bool) {
	flip := map[token.Token]token.Token{token.LSS: token.GTR, token.GTR: token.LSS, token.LEQ: token.GEQ, token.GEQ: token.LEQ, token.EQL: token.EQL, token.NEQ: token.NEQ}
	if _, ok := flip[op]; !ok {
		return 0, 0, 0, false
	}
	if a.k == vConst && b.k == vTop && b.sym != 0 {
		a, b, op = b, a, flip[op]
	}
	if a.k != vTop || a.sym == 0 || b.k != vConst || b.cv().Kind() != constant.Int {
		return 0, 0, 0, false
	}
	c, ok := constant.Int64Val(b.cv())
	if !ok {
		return 0, 0, 0, false
	}
	return a.sym, c, op, true
}

// compare decides a comparison of a symbol with a constant from the
// symbol's bounds, when they decide it.
func (s *state) compare(op token.Token, a, b val) (result, ok bool) {
	if (op == token.EQL || op == token.NEQ) && ((a.nn && b.k == vNil) || (b.nn && a.k == vNil)) {
		return op == token.NEQ, true
	}
	if sym, isNil := nilCompare(op, a, b); sym != 0 {
		if nonNil, known := s.nils[sym]; known {
			return nonNil != isNil, true
		}
		return false, false
	}
	sym, c, op, ok := symConst(op, a, b)
	if !ok {
		return false, false
	}
	bd := s.boundsOf(sym)
	switch op {
	case token.LSS:
		if bd.hi < c {
			return true, true
		}
		if bd.lo >= c {
			return false, true
		}
	case token.LEQ:
		if bd.hi <= c {
			return true, true
		}
		if bd.lo > c {
			return false, true
		}
	case token.GTR:
		if bd.lo > c {
			return true, true
		}
		if bd.hi <= c {
			return false, true
		}
	case token.GEQ:
		if bd.lo >= c {
			return true, true
		}
		if bd.hi < c {
			return false, true
		}
	case token.EQL, token.NEQ:
		eq := bd.lo == c && bd.hi == c
		ne := bd.hi < c || bd.lo > c
		if eq || ne {
			return eq == (op == token.EQL), true
		}
	}
	return false, false
}

// learn narrows a symbol's bounds by the way a branch on a comparison
// went.
func (s *state) learn(op token.Token, a, b val, taken bool) {
	if sym, isNil := nilCompare(op, a, b); sym != 0 {
		if s.nils == nil {
			s.nils = map[int32]bool{}
		}
		s.nils[sym] = isNil != taken // x == nil not taken, x != nil taken: not nil
		return
	}
	sym, c, op, ok := symConst(op, a, b)
	if !ok {
		return
	}
	if !taken {
		op = map[token.Token]token.Token{token.LSS: token.GEQ, token.GEQ: token.LSS, token.LEQ: token.GTR, token.GTR: token.LEQ, token.EQL: token.NEQ, token.NEQ: token.EQL}[op]
	}
	bd := s.boundsOf(sym)
	switch op {
	case token.LSS:
		bd.hi = min(bd.hi, c-1)
	case token.LEQ:
		bd.hi = min(bd.hi, c)
	case token.GTR:
		bd.lo = max(bd.lo, c+1)
	case token.GEQ:
		bd.lo = max(bd.lo, c)
	case token.EQL:
		bd.lo, bd.hi = max(bd.lo, c), min(bd.hi, c)
	case token.NEQ:
		return
	}
	if s.syms == nil {
		s.syms = map[int32]bounds{}
	}
	s.syms[sym] = bd
}

// atomic runs a sync/atomic function or method on a cell the root made
// as the plain load, store or update it is (the explorer's schedules are
// sequentially consistent). A method's receiver keeps its value in its
// field v, which only these methods read.
func (x *explorer) atomic(s *state, fo *types.Func, c call) (val, bool) {
	r, ok := x.atomicCell(s, fo, c)
	if !ok {
		return top, false
	}
	args := c.args
	cell := val{k: vRef, ref: r}
	old := s.heap[cell.ref].vals[0]
	set := func(v val) { s.mut(cell.ref).vals[0] = v }
	name := fo.Name()
	switch {
	case strings.HasPrefix(name, "Load"):
		return old, true
	case strings.HasPrefix(name, "Store"):
		set(args[1])
		return top, true
	case strings.HasPrefix(name, "Swap"):
		set(args[1])
		return old, true
	case strings.HasPrefix(name, "Add"):
		r := binop(token.ADD, old, args[1], types.Typ[types.Int64])
		set(r)
		return r, true
	case strings.HasPrefix(name, "CompareAndSwap"):
		eq, known := binop(token.EQL, old, args[1], types.Typ[types.Int64]), false
		if eq.k == vConst && eq.cv().Kind() == constant.Bool {
			known = true
		}
		if !known {
			set(top)
			return top, true
		}
		if constant.BoolVal(eq.cv()) {
			set(args[2])
		}
		return eq, true
	}
	return top, false
}

// atomicCell is the cell a sync/atomic call updates, if the root made it
// and it holds no object the explorer tracks.
func (x *explorer) atomicCell(s *state, fo *types.Func, c call) (int32, bool) {
	if len(c.args) == 0 {
		return 0, false
	}
	cell := c.args[0]
	if fo.Signature().Recv() != nil {
		if cell.k != vRef || s.heap[cell.ref].kind != oStruct {
			return 0, false
		}
		st, ok := s.heap[cell.ref].typ.Underlying().(*types.Struct)
		if !ok {
			return 0, false
		}
		found := false
		for i := 0; i < st.NumFields() && i < len(s.heap[cell.ref].fields); i++ {
			if st.Field(i).Name() == "v" {
				cell, found = val{k: vRef, ref: s.heap[cell.ref].fields[i]}, true
			}
		}
		if !found {
			return 0, false
		}
	}
	if cell.k != vRef || s.heap[cell.ref].kind != oCell || x.tracked(s, s.heap[cell.ref].vals[0]) {
		return 0, false
	}
	return cell.ref, true
}

// nonNil is an unknown value known not to be nil: a sentinel error, the
// result of errors.New.
var nonNil = val{k: vTop, nn: true}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// nilCompare splits x == nil (isNil) or x != nil of a symbol x.
func nilCompare(op token.Token, a, b val) (sym int32, isNil bool) {
	if op != token.EQL && op != token.NEQ {
		return 0, false
	}
	if a.k == vNil {
		a, b = b, a
	}
	if a.k != vTop || a.sym == 0 || b.k != vNil {
		return 0, false
	}
	return a.sym, op == token.EQL
}

// derive is the symbol of what p's symbol leads to by kind ('f' field
// address, 'F' field of a value, 'i' element, '*' load) and i: the same
// unknown each time until unseen code may have changed it (forget).
func (x *explorer) derive(s *state, p val, kind byte, i int) val {
	if p.k != vTop || p.sym == 0 {
		return top
	}
	k := derivKey{base: p.sym, kind: kind, i: i, gen: s.gen}
	if sym, ok := x.derived[k]; ok {
		return val{k: vTop, sym: sym}
	}
	if x.nextSym >= lenSyms-1 {
		return top
	}
	x.nextSym++
	x.derived[k] = x.nextSym
	x.derivOf[x.nextSym] = k
	x.originOf[x.nextSym] = x.origin(p.sym)
	return val{k: vTop, sym: x.nextSym}
}

type derivKey struct {
	base int32
	kind byte
	i    int
	gen  int32
}

// forget starts a new generation of derived unknowns: unseen code was
// given a pointer into memory the explorer knows only by symbols.
func (s *state) forget() {
	s.gen++
	s.envw = nil
}

// origin is the unknown a symbol was derived from: a parameter, or one
// unseen call's results.
func (x *explorer) origin(sym int32) int32 {
	if sym >= lenSyms {
		sym -= lenSyms
	}
	if o, ok := x.originOf[sym]; ok {
		return o
	}
	return sym
}

// use notes that goroutine t gives unseen code an unknown derived from
// sym. Two goroutines that both do may be synchronising through it (the
// two ends of an io.Pipe, a net.Conn and its peer) in ways the explorer
// does not see: the root's exploration stops and reports nothing.
func (x *explorer) use(t *thread, sym int32) {
	o := x.origin(sym)
	if x.inert[o] {
		return
	}
	if u, ok := x.users[o]; ok && u != t.id {
		x.abort, x.why = true, "shared unknown"
		return
	}
	x.users[o] = t.id
}

// callsParallel reports whether fn calls (*testing.T).Parallel itself.
func callsParallel(fn *ssa.Function) bool {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(ssa.CallInstruction); ok {
				if g := c.Common().StaticCallee(); g != nil {
					if fo, _ := g.Object().(*types.Func); fo != nil && fo.Pkg() != nil && fo.Pkg().Path() == "testing" && fo.Name() == "Parallel" {
						return true
					}
				}
			}
		}
	}
	return false
}

// testFails reports whether fo marks a test failed or skipped.
func testFails(fo *types.Func) bool {
	if fo == nil || fo.Pkg() == nil || fo.Pkg().Path() != "testing" {
		return false
	}
	switch fo.Name() {
	case "Error", "Errorf", "Fail", "FailNow", "Fatal", "Fatalf", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}
