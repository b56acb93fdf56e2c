package model

import (
	"go/constant"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// This file is the explorer's synchronising operations: which a
// goroutine is at, whether it can move, and what moving does.

type xopKind uint8

const (
	xSend xopKind = iota + 1
	xRecv
	xSelect
	xClose
	xLock
	xUnlock
	xRLock
	xRUnlock
	xAdd
	xDone
	xWait
	xWGGo
	xCondWait
	xSignal
	xBroadcast
	xCancel
	xAtomic // a sync/atomic operation on a cell the root made
	// time.AfterFunc's timers: the timer firing (the goroutine that runs
	// its function starts), and Stop and Reset on it.
	xFire
	xTimerStop
	xTimerReset
)

// xop is a synchronising operation a goroutine is at.
type xop struct {
	kind  xopKind
	ch    val // the channel, mutex, WaitGroup, Cond or cancel's context
	v     val // the value sent, the Add delta, WaitGroup.Go's function
	sel   *ssa.Select
	cases []val // a select's channels
	sends []val // a select's sent values
	in    ssa.Instruction
	// pending: the operation is a deferred or spawned call, not the
	// frame's instruction.
	pending bool
	commaOk bool
	// call and fn: an atomic's call and function
	call call
	fn   *types.Func
}

// opOf is the synchronising operation t is at, nil if its next step is
// local (or it is done).
func (x *explorer) opOf(s *state, t *thread) *xop {
	if t.done {
		return nil
	}
	if t.timer != 0 {
		return &xop{kind: xFire, ch: val{k: vRef, ref: t.timer - 1}, in: t.goAt}
	}
	if t.pending != nil {
		op := x.callOp(s, *t.pending)
		if op != nil {
			op.pending = true
			op.in = t.pending.at
		}
		return op
	}
	if len(t.frames) == 0 {
		return nil
	}
	f := t.top()
	if f.unwinding != 0 {
		return nil
	}
	switch in := f.instr().(type) {
	case *ssa.Send:
		if ch := x.eval(f, in.Chan); x.isChan(s, ch) {
			return &xop{kind: xSend, ch: ch, v: x.eval(f, in.X), in: in}
		}
	case *ssa.UnOp:
		if in.Op.String() == "<-" {
			if ch := x.eval(f, in.X); x.isChan(s, ch) {
				return &xop{kind: xRecv, ch: ch, in: in, commaOk: in.CommaOk}
			}
		}
	case *ssa.Select:
		op := &xop{kind: xSelect, sel: in, in: in}
		any := len(in.States) == 0 && in.Blocking
		for _, st := range in.States {
			ch := x.eval(f, st.Chan)
			any = any || x.isChan(s, ch)
			op.cases = append(op.cases, ch)
			if st.Dir == types.SendOnly {
				op.sends = append(op.sends, x.eval(f, st.Send))
			} else {
				op.sends = append(op.sends, top)
			}
		}
		if any {
			return op
		}
	case *ssa.Call:
		if op := x.callOp(s, x.callOf(f, in.Common(), in)); op != nil {
			op.in = in
			return op
		}
	}
	return nil
}

// op is opOf for a settled state (one queued for its successors, which
// nothing writes any more), computed once per goroutine: moves, offers
// and the leak check ask it of every goroutine, for every goroutine.
func (x *explorer) op(s *state, t *thread) *xop {
	if s.ops == nil {
		s.ops = make([]*xop, len(s.threads))
		s.opsDone = make([]bool, len(s.threads))
	}
	if !s.opsDone[t.id] {
		s.ops[t.id], s.opsDone[t.id] = x.opOf(s, t), true
	}
	return s.ops[t.id]
}

// isChan reports whether v is a channel the explorer tracks, or nil.
func (x *explorer) isChan(s *state, v val) bool {
	return v.k == vNil || (v.k == vRef && s.heap[v.ref].kind == oChan)
}

func (x *explorer) isKind(s *state, v val, kinds ...okind) bool {
	return v.k == vRef && slices.Contains(kinds, s.heap[v.ref].kind)
}

// callOp is the synchronising operation a call is, nil if none.
func (x *explorer) callOp(s *state, c call) *xop {
	if c.builtin != nil {
		if c.builtin.Name() == "close" && x.isChan(s, c.args[0]) {
			return &xop{kind: xClose, ch: c.args[0]}
		}
		return nil
	}
	if c.fn.k == vRef && s.heap[c.fn.ref].kind == oCancel {
		return &xop{kind: xCancel, ch: val{k: vRef, ref: s.heap[c.fn.ref].parent}}
	}
	_, fo := x.target(s, c)
	if fo == nil || len(c.args) == 0 {
		return nil
	}
	if fo.Pkg() != nil && fo.Pkg().Path() == "sync/atomic" {
		// An atomic is a synchronising operation: where it falls among
		// the other goroutines' operations matters.
		if _, ok := x.atomicCell(s, fo, c); ok {
			return &xop{kind: xAtomic, call: c, fn: fo}
		}
		return nil
	}
	recv := c.args[0]
	if x.isKind(s, recv, oTimer) {
		switch fo.Name() {
		case "Stop":
			return &xop{kind: xTimerStop, ch: recv}
		case "Reset":
			return &xop{kind: xTimerReset, ch: recv}
		}
		return nil
	}
	if x.isKind(s, recv, oRLocker) {
		mu := val{k: vRef, ref: s.heap[recv.ref].parent}
		switch fo.Name() {
		case "Lock":
			return &xop{kind: xRLock, ch: mu}
		case "Unlock":
			return &xop{kind: xRUnlock, ch: mu}
		}
		return nil
	}
	switch x.m.api.LockOpOf(fo) {
	case apis.Lock:
		if x.isKind(s, recv, oMutex, oRWMutex) {
			return &xop{kind: xLock, ch: recv}
		}
	case apis.Unlock:
		if x.isKind(s, recv, oMutex, oRWMutex) {
			return &xop{kind: xUnlock, ch: recv}
		}
	case apis.RLock:
		if x.isKind(s, recv, oRWMutex) {
			return &xop{kind: xRLock, ch: recv}
		}
	case apis.RUnlock:
		if x.isKind(s, recv, oRWMutex) {
			return &xop{kind: xRUnlock, ch: recv}
		}
	case apis.CondWait:
		if x.isKind(s, recv, oCond) {
			return &xop{kind: xCondWait, ch: recv}
		}
	case apis.CondSignal:
		if x.isKind(s, recv, oCond) {
			if fo.Name() == "Broadcast" {
				return &xop{kind: xBroadcast, ch: recv}
			}
			return &xop{kind: xSignal, ch: recv}
		}
	}
	if x.isKind(s, recv, oWaitGroup) {
		switch x.m.api.WaitGroupMethod(fo) {
		case "Add":
			return &xop{kind: xAdd, ch: recv, v: c.args[1]}
		case "Done":
			return &xop{kind: xDone, ch: recv}
		case "Wait":
			return &xop{kind: xWait, ch: recv}
		case "Go":
			return &xop{kind: xWGGo, ch: recv, v: c.args[1]}
		}
	}
	return nil
}

// move is one way a goroutine can take its operation.
type move struct {
	cas     int // the select case (-1: default)
	partner int // the goroutine it meets on an unbuffered channel (-1: none)
	pcase   int // the partner's select case (-1: a plain send or receive)
	crash   bool
}

var plain = move{cas: 0, partner: -1, pcase: -1}

// enabled reports whether t can take a step in s.
func (x *explorer) enabled(s *state, t *thread) bool {
	if x.op(s, t) == nil {
		return true // a local step (a settled state has none)
	}
	return len(x.moves(s, t)) > 0
}

// offers are the ways goroutines other than self are ready to receive
// (wantRecv) or send on channel ch.
func (x *explorer) offers(s *state, self int, ch int32, wantRecv bool) []move {
	var out []move
	for ui, u := range s.threads {
		if ui == self {
			continue
		}
		op := x.op(s, u)
		if op == nil {
			continue
		}
		want := xSend
		if wantRecv {
			want = xRecv
		}
		switch {
		case op.kind == want && op.ch.k == vRef && op.ch.ref == ch:
			out = append(out, move{partner: ui, pcase: -1})
		case op.kind == xSelect:
			for i, st := range op.sel.States {
				c := op.cases[i]
				if c.k != vRef || c.ref != ch {
					continue
				}
				if (st.Dir == types.RecvOnly) == wantRecv {
					out = append(out, move{partner: ui, pcase: i})
				}
			}
		}
	}
	return out
}

// moves are the ways t can take its operation in s.
func (x *explorer) moves(s *state, t *thread) []move {
	op := x.op(s, t)
	if op == nil {
		return nil
	}
	self := slices.Index(s.threads, t)
	var out []move
	chanMoves := func(ch val, send bool, cas int) {
		switch ch.k {
		case vNil:
			return
		case vTop:
			out = append(out, move{cas: cas, partner: -1, pcase: -1})
			return
		}
		o := s.heap[ch.ref]
		if send {
			switch {
			case o.flag:
				out = append(out, move{cas: cas, partner: -1, pcase: -1, crash: true})
			case len(o.vals) < o.n:
				out = append(out, move{cas: cas, partner: -1, pcase: -1})
			case o.n == 0:
				for _, p := range x.offers(s, self, ch.ref, true) {
					p.cas = cas
					out = append(out, p)
				}
			}
			return
		}
		if len(o.vals) > 0 || o.flag {
			out = append(out, move{cas: cas, partner: -1, pcase: -1})
			return
		}
		if o.n == 0 {
			for _, p := range x.offers(s, self, ch.ref, false) {
				p.cas = cas
				out = append(out, p)
			}
		}
	}
	o := func() *obj { return s.heap[op.ch.ref] }
	switch op.kind {
	case xSend:
		chanMoves(op.ch, true, 0)
	case xRecv:
		chanMoves(op.ch, false, 0)
	case xSelect:
		for i, st := range op.sel.States {
			chanMoves(op.cases[i], st.Dir == types.SendOnly, i)
		}
		if len(out) == 0 && !op.sel.Blocking {
			out = append(out, move{cas: -1, partner: -1, pcase: -1})
		}
	case xLock:
		m := o()
		switch {
		case m.kind == oMutex && !m.flag:
			out = append(out, plain)
		case m.kind == oRWMutex && (t.phase == 0 || (!m.flag && m.n == 0)):
			out = append(out, plain)
		}
	case xRLock:
		if m := o(); !m.flag && m.waitW == 0 {
			out = append(out, plain)
		}
	case xWait:
		if w := o(); w.n == 0 || w.env {
			out = append(out, plain)
		}
	case xFire:
		if o().n == timerArmed {
			out = append(out, plain)
		}
	case xCondWait:
		switch t.phase {
		case 0:
			out = append(out, plain)
		case 2:
			if l := x.condL(s, op.ch); l.k != vRef || !s.heap[l.ref].flag {
				out = append(out, plain)
			}
		}
	default: // close, unlock, Add, Done, Go, Signal, Broadcast, cancel
		out = append(out, plain)
	}
	return out
}

// condL is the Locker of Cond c.
func (x *explorer) condL(s *state, c val) val {
	o := s.heap[c.ref]
	st, ok := o.typ.Underlying().(*types.Struct)
	if !ok {
		return top
	}
	for i := 0; i < st.NumFields() && i < len(o.fields); i++ {
		if st.Field(i).Name() == "L" {
			l, _ := x.load(s, val{k: vRef, ref: o.fields[i]})
			if x.isKind(s, l, oMutex, oRWMutex) {
				return l
			}
			return top
		}
	}
	return top
}

// waitsOn are the objects blocked t waits for.
func (x *explorer) waitsOn(s *state, t *thread) []int32 {
	op := x.op(s, t)
	if op == nil {
		return nil
	}
	var out []int32
	if op.kind == xSelect {
		for _, c := range op.cases {
			if c.k == vRef {
				out = append(out, c.ref)
			}
		}
		return out
	}
	if op.kind == xCondWait && t.phase == 2 {
		if l := x.condL(s, op.ch); l.k == vRef {
			return []int32{l.ref}
		}
		return nil
	}
	if op.ch.k == vRef {
		out = append(out, op.ch.ref)
	}
	return out
}

// blockingInstr is the instruction blocked t is at and what it waits
// for.
func (x *explorer) blockingInstr(s *state, t *thread) (ssa.Instruction, StuckKind) {
	op := x.op(s, t)
	if op == nil {
		return nil, 0
	}
	k := StuckKind(0)
	switch op.kind {
	case xSend:
		k = StuckSend
	case xRecv:
		k = StuckRecv
	case xSelect:
		k = StuckSelect
	case xLock, xRLock:
		k = StuckLock
	case xWait:
		k = StuckWait
	case xCondWait:
		k = StuckCond
	default:
		return nil, 0
	}
	return op.in, k
}

// blockWhat says what t's operation does, for a step.
func (x *explorer) blockWhat(s *state, t *thread) string {
	op := x.op(s, t)
	if op == nil {
		return ""
	}
	return x.what(op, -1)
}

func (x *explorer) what(op *xop, cas int) string {
	n := x.m.opName(op.in)
	switch op.kind {
	case xSend:
		return "sends on " + n
	case xRecv:
		return "receives from " + n
	case xSelect:
		if cas < 0 {
			if !op.sel.Blocking {
				return "selects the default case"
			}
			return "selects"
		}
		st := op.sel.States[cas]
		cn := x.m.chanNameAt(st.Pos)
		if st.Dir == types.SendOnly {
			return "selects the send on " + cn
		}
		return "selects the receive from " + cn
	case xClose:
		return "closes " + x.m.callArgName(op.in)
	case xLock:
		return "locks " + n
	case xUnlock:
		return "unlocks " + n
	case xRLock:
		return "read-locks " + n
	case xRUnlock:
		return "read-unlocks " + n
	case xAdd:
		return "adds to " + n
	case xDone:
		return "calls " + n + ".Done"
	case xWait:
		return "waits on " + n
	case xWGGo:
		return "starts a goroutine with " + n + ".Go"
	case xCondWait:
		return "waits on " + n
	case xSignal:
		return "signals " + n
	case xBroadcast:
		return "broadcasts on " + n
	case xCancel:
		return "cancels the context"
	}
	return ""
}

// step is every successor of s in which thread ti takes its operation.
func (x *explorer) step(s *state, ti int) []*state {
	t := s.threads[ti]
	if t.done {
		return nil
	}
	var out []*state
	for _, mv := range x.moves(s, t) {
		if mv.crash {
			continue // it panics: the program is over on that schedule
		}
		if n := x.apply(s, ti, mv); n != nil {
			out = append(out, n)
		}
	}
	return out
}

// advance moves t past its operation, the operation's value being v.
func (x *explorer) advance(t *thread, op *xop, v val) {
	t.phase = 0
	if op.pending {
		t.pending = nil
		return
	}
	f := t.topw()
	if r, ok := f.instr().(ssa.Value); ok {
		f.set(r, v)
	}
	f.idx++
}

// apply is the successor of s in which thread ti takes move mv (nil if
// the program panics there).
func (x *explorer) apply(s *state, ti int, mv move) *state {
	n := s.clone()
	t := n.thr(ti)
	op := x.opOf(n, t)
	x.covered[op.in.Pos()] = true
	if mv.partner >= 0 {
		if pop := x.opOf(n, n.threads[mv.partner]); pop != nil {
			x.covered[pop.in.Pos()] = true
		}
	}
	stepAt := func(th *thread, in ssa.Instruction, what string) {
		n.step(XStep{Goroutine: gname(th.id), Instr: in, What: what})
	}
	obj := func() *obj { return n.mut(op.ch.ref) }
	switch op.kind {
	case xSend, xRecv, xSelect:
		return x.applyChan(n, ti, op, mv)
	case xClose:
		c := obj()
		if c.flag {
			return nil
		}
		c.flag = true
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xLock:
		m := obj()
		if m.kind == oRWMutex && t.phase == 0 {
			m.waitW++
			t.phase = 1
			stepAt(t, op.in, "asks to lock "+x.m.opName(op.in)+": readers that come now wait")
			return n // announced: readers that come now wait
		}
		if m.kind == oRWMutex {
			m.waitW--
		}
		m.flag = true
		t.holds = append(t.holds, op.ch.ref)
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xUnlock:
		m := obj()
		if !m.flag {
			return nil // unlock of an unlocked mutex: fatal
		}
		m.flag = false
		x.release(n, op.ch.ref)
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xRLock:
		obj().n++
		t.holds = append(t.holds, op.ch.ref)
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xRUnlock:
		if obj().n == 0 {
			return nil
		}
		obj().n--
		x.releaseBy(t, op.ch.ref)
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xAdd:
		w := obj()
		if op.v.k == vConst {
			d, ok := constant.Int64Val(constant.ToInt(op.v.cv()))
			if !ok {
				w.env = true
			} else if w.n += int(d); w.n < 0 && !w.env {
				return nil
			}
		} else {
			w.env = true
		}
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xDone:
		w := obj()
		if w.n--; w.n < 0 && !w.env {
			return nil
		}
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xWait:
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xWGGo:
		obj().n++
		x.advance(t, op, top)
		if !x.spawn(n, t, call{fn: op.v, at: op.in}, op.in, op.ch.ref) {
			return nil
		}
	case xCondWait:
		switch t.phase {
		case 0:
			if l := x.condL(n, op.ch); l.k == vRef {
				if !n.heap[l.ref].flag {
					return nil // Wait without holding L: fatal
				}
				n.mut(l.ref).flag = false
				x.release(n, l.ref)
			}
			t.phase, t.cond, t.seq = 1, op.ch.ref, n.seq
			n.seq++
			stepAt(t, op.in, x.what(op, -1))
			return n
		case 2:
			if l := x.condL(n, op.ch); l.k == vRef {
				n.mut(l.ref).flag = true
				t.holds = append(t.holds, l.ref)
			}
			stepAt(t, op.in, "wakes and locks again")
			x.advance(t, op, top)
		}
	case xSignal, xBroadcast:
		var woken []int
		for i, u := range n.threads {
			if !u.done && u.phase == 1 && u.cond == op.ch.ref && x.opKindIs(n, u, xCondWait) {
				woken = append(woken, i)
			}
		}
		slices.SortFunc(woken, func(a, b int) int { return n.threads[a].seq - n.threads[b].seq })
		if op.kind == xSignal && len(woken) > 1 {
			woken = woken[:1]
		}
		for _, i := range woken {
			n.thr(i).phase = 2
		}
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	case xFire:
		obj().n = timerFired
		t.timer = 0
		stepAt(t, op.in, "runs the timer's function: the timer fired")
	case xTimerStop, xTimerReset:
		tm := obj()
		armed := tm.n == timerArmed
		switch {
		case op.kind == xTimerStop && armed:
			tm.n = timerStopped
			for i, u := range n.threads {
				if !u.done && u.timer == op.ch.ref+1 {
					u = n.thr(i)
					u.done, u.timer, u.pending = true, 0, nil
				}
			}
			stepAt(t, op.in, "stops the timer before it fires")
		case op.kind == xTimerStop:
			stepAt(t, op.in, "stops the timer too late: its function has run or runs now")
		case !armed:
			tm.n = timerArmed
			if !x.spawn(n, t, call{fn: tm.vals[0], at: op.in}, op.in, -1) {
				return nil
			}
			u := n.threads[len(n.threads)-1]
			u.timer = op.ch.ref + 1
			n.lastStep().What = "arms the timer again: its function will run in " + gname(u.id)
		default:
			stepAt(t, op.in, "resets the timer before it fires")
		}
		x.advance(t, op, boolVal(armed))
	case xAtomic:
		r, _ := x.atomic(n, op.fn, op.call)
		stepAt(t, op.in, "calls atomic."+op.fn.Name())
		x.advance(t, op, r)
	case xCancel:
		x.cancel(n, op.ch.ref)
		stepAt(t, op.in, x.what(op, -1))
		x.advance(t, op, top)
	}
	return n
}

func (x *explorer) opKindIs(s *state, t *thread, k xopKind) bool {
	op := x.opOf(s, t)
	return op != nil && op.kind == k
}

// release forgets which goroutine holds mutex mu.
func (x *explorer) release(s *state, mu int32) {
	for ui, u := range s.threads {
		if i := slices.Index(u.holds, mu); i >= 0 {
			u = s.thr(ui)
			u.holds = slices.Delete(u.holds, i, i+1)
			return
		}
	}
}

// releaseBy forgets one read lock of mu t holds.
func (x *explorer) releaseBy(t *thread, mu int32) {
	if i := slices.Index(t.holds, mu); i >= 0 {
		t.holds = slices.Delete(t.holds, i, i+1)
	}
}

// applyChan takes a send, receive or select.
func (x *explorer) applyChan(n *state, ti int, op *xop, mv move) *state {
	t := n.thr(ti)
	ch, send := op.ch, op.kind == xSend
	v := op.v
	if op.kind == xSelect {
		if mv.cas < 0 {
			n.step(XStep{Goroutine: gname(t.id), Instr: op.in, What: x.what(op, -1)})
			x.advance(t, op, selectResult(op.sel, -1, top, false))
			return n
		}
		ch = op.cases[mv.cas]
		send = op.sel.States[mv.cas].Dir == types.SendOnly
		v = op.sends[mv.cas]
	}
	result := func(got val, ok bool) val {
		if op.kind == xSelect {
			return selectResult(op.sel, mv.cas, got, ok)
		}
		if op.commaOk {
			return val{k: vTuple, x: []val{got, boolVal(ok)}}
		}
		return got
	}
	what := x.what(op, mv.cas)
	n.step(XStep{Goroutine: gname(t.id), Instr: op.in, What: what})
	if ch.k == vTop {
		if send {
			x.escape(n, v)
			if x.abort {
				return nil
			}
		}
		x.advance(t, op, result(top, true))
		return n
	}
	o := n.mut(ch.ref)
	if mv.partner < 0 {
		if send {
			o.vals = append(o.vals, v)
			x.advance(t, op, result(top, true))
			return n
		}
		if len(o.vals) > 0 {
			got := o.vals[0]
			o.vals = o.vals[1:]
			x.advance(t, op, result(got, true))
			return n
		}
		// closed and drained
		x.advance(t, op, result(x.zero(n, chanElem(ch, n)), false))
		return n
	}
	u := n.thr(mv.partner)
	pop := x.opOf(n, u)
	var pv val
	if mv.pcase >= 0 {
		pv = pop.sends[mv.pcase]
	} else {
		pv = pop.v
	}
	n.step(XStep{Goroutine: gname(u.id), Instr: pop.in, What: x.what(pop, mv.pcase)})
	presult := func(got val) val {
		if pop.kind == xSelect {
			return selectResult(pop.sel, mv.pcase, got, true)
		}
		if pop.commaOk {
			return val{k: vTuple, x: []val{got, boolVal(true)}}
		}
		return got
	}
	if send {
		x.advance(t, op, result(top, true))
		x.advance(u, pop, presult(v))
	} else {
		x.advance(t, op, result(pv, true))
		x.advance(u, pop, presult(top))
	}
	return n
}

func chanElem(ch val, s *state) types.Type {
	if c, ok := s.heap[ch.ref].typ.Underlying().(*types.Chan); ok {
		return c.Elem()
	}
	return types.Typ[types.Invalid]
}

// selectResult is a select's tuple: the case index, recvOk, and a value
// per receive case.
func selectResult(sel *ssa.Select, cas int, got val, ok bool) val {
	tup := []val{{k: vConst, x: constant.MakeInt64(int64(cas))}, boolVal(ok)}
	for i, st := range sel.States {
		if st.Dir == types.RecvOnly {
			if i == cas {
				tup = append(tup, got)
			} else {
				tup = append(tup, top)
			}
		}
	}
	return val{k: vTuple, x: tup}
}

// deriveContext makes the context (and cancel func) of a context
// constructor.
func (x *explorer) deriveContext(s *state, d apis.Derive, c call) val {
	parent := int32(-1)
	env := false
	if len(c.args) > 0 {
		if p := c.args[0]; p.k == vRef && s.heap[p.ref].kind == oContext {
			parent = p.ref
		} else {
			env = true // a parent the explorer does not see
		}
	}
	switch d {
	case apis.NeverDone:
		return s.alloc(obj{kind: oContext, parent: -1, done: -1})
	case apis.FromParent:
		if parent >= 0 {
			return val{k: vRef, ref: parent}
		}
		return top
	}
	ctx := s.alloc(obj{kind: oContext, parent: parent, env: env || d == apis.Timed, done: -1})
	cancel := s.alloc(obj{kind: oCancel, parent: ctx.ref, done: -1})
	return val{k: vTuple, x: []val{ctx, cancel}}
}

// doneChan is ctx.Done(): a channel closed when it is cancelled, ⊤ when
// the environment may end it.
func (x *explorer) doneChan(s *state, ctx val) val {
	if ctx.k != vRef || s.heap[ctx.ref].kind != oContext {
		return top
	}
	for p := ctx.ref; p >= 0; p = s.heap[p].parent {
		if s.heap[p].env {
			return top
		}
	}
	o := s.heap[ctx.ref]
	if o.done < 0 {
		done := o.flag
		ch := s.alloc(obj{kind: oChan, typ: types.NewChan(types.RecvOnly, types.NewStruct(nil, nil)), flag: done, parent: -1, done: -1})
		s.mut(ctx.ref).done = ch.ref
	}
	return val{k: vRef, ref: s.heap[ctx.ref].done}
}

// cancel cancels context ctx and every context derived from it.
func (x *explorer) cancel(s *state, ctx int32) {
	for i := range s.heap {
		if s.heap[i].kind != oContext {
			continue
		}
		for p := int32(i); p >= 0; p = s.heap[p].parent {
			if p == ctx {
				s.mut(int32(i)).flag = true
				if d := s.heap[i].done; d >= 0 {
					s.mut(d).flag = true
				}
				break
			}
		}
	}
}
