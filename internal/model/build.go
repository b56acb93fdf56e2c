package model

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/leakvet/leakvet/internal/apis"
)

// node is a union-find class of SSA values that may hold the same object
// (or, through pointee, of the cells that hold them).
type node struct {
	parent  *node
	rank    uint8
	pointee *node
	kind    Kind
	origins []ssa.Value
	fields  []*types.Var
	ops     []*Op
	escaped string
	// escapedOther: escaped for another reason than being a parameter of
	// an entry point (the facts summarise only parameters that stay).
	escapedOther bool
	extRecv      bool
	extSend      bool
	unknown      bool
	// ctx: for Context objects, the WithCancel-like calls' parents and
	// cancels, by origin.
	derived []derivation
	obj     *Object
}

// derivation is how a context object is made from a parent: by a
// With... call whose cancel func is cancel (nil for WithValue), or one
// that may fire on its own (WithTimeout, WithDeadline).
type derivation struct {
	parent, cancel *node
	fires          bool
	never          bool // Background, TODO, WithoutCancel
}

func (n *node) find() *node {
	for n.parent != nil {
		if n.parent.parent != nil {
			n.parent = n.parent.parent
		}
		n = n.parent
	}
	return n
}

type builder struct {
	m *Model
	// imported are other packages' summaries (nil: none)
	imported *Imported
	// param: marking the parameters of entry points (not an escape to
	// summarise against)
	param  bool
	values map[ssa.Value]*node
	fields map[*types.Var]*node
	rets   map[retKey]*node
	all    []*node // every node, in creation order: objects come out deterministic
	nodes  int
	over   bool
}

type retKey struct {
	fn *ssa.Function
	i  int
}

func newBuilder(m *Model) *builder {
	return &builder{m: m, values: map[ssa.Value]*node{}, fields: map[*types.Var]*node{}, rets: map[retKey]*node{}}
}

func (b *builder) newNode() *node {
	b.nodes++
	if b.nodes > b.m.budget.nodes {
		b.over = true
	}
	n := &node{}
	b.all = append(b.all, n)
	return n
}

// trackedKind is the object kind of values of type t, 0 if none.
func (m *Model) trackedKind(t types.Type) Kind {
	switch {
	case t == nil:
		return 0
	case m.api.IsWaitGroup(t):
		return WaitGroup
	case m.api.IsContext(t):
		return Context
	case m.api.IsCancelType(t):
		return Cancel
	}
	if _, ok := t.Underlying().(*types.Chan); ok {
		return Chan
	}
	return 0
}

// interesting reports whether values of type t hold objects directly or
// through pointers.
func (m *Model) interesting(t types.Type) bool {
	for range 4 {
		if k := m.trackedKind(t); k != 0 {
			return true
		}
		p, ok := t.Underlying().(*types.Pointer)
		if !ok {
			return false
		}
		t = p.Elem()
	}
	return false
}

// val is the class of v (nil if v's type holds no object).
func (b *builder) val(v ssa.Value) *node {
	if v == nil || !b.m.interesting(v.Type()) {
		return nil
	}
	if n := b.values[v]; n != nil {
		return n.find()
	}
	n := b.newNode()
	n.kind = b.m.trackedKind(v.Type())
	b.values[v] = n
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() && n.kind == Chan {
			n.origins = append(n.origins, v)
		}
	case *ssa.Global:
		b.escape(b.pointee(n), "a package variable", true, true)
	}
	return n
}

func (b *builder) pointee(n *node) *node {
	n = n.find()
	if n.pointee == nil {
		n.pointee = b.newNode()
	}
	return n.pointee.find()
}

func (b *builder) field(f *types.Var) *node {
	f = f.Origin()
	if n := b.fields[f]; n != nil {
		return n.find()
	}
	n := b.newNode()
	n.kind = b.m.trackedKind(f.Type())
	n.fields = append(n.fields, f)
	b.fields[f] = n
	switch {
	case f.Pkg() != b.m.pkg:
		n.unknown = true
		b.escape(n, "a field of another package's type", true, true)
	case f.Exported() && !b.m.isMain:
		b.escape(n, "an exported field", true, true)
	}
	return n
}

func (b *builder) ret(fn *ssa.Function, i int) *node {
	k := retKey{fn, i}
	if n := b.rets[k]; n != nil {
		return n.find()
	}
	n := b.newNode()
	b.rets[k] = n
	return n
}

func (b *builder) unify(x, y *node) *node {
	if x == nil {
		return y
	}
	if y == nil {
		return x
	}
	x, y = x.find(), y.find()
	if x == y {
		return x
	}
	if x.rank < y.rank {
		x, y = y, x
	}
	if x.rank == y.rank {
		x.rank++
	}
	y.parent = x
	if x.kind == 0 {
		x.kind = y.kind
	}
	x.origins = append(x.origins, y.origins...)
	x.fields = append(x.fields, y.fields...)
	x.ops = append(x.ops, y.ops...)
	x.derived = append(x.derived, y.derived...)
	if x.escaped == "" {
		x.escaped = y.escaped
	}
	x.escapedOther = x.escapedOther || y.escapedOther
	x.extRecv = x.extRecv || y.extRecv
	x.extSend = x.extSend || y.extSend
	x.unknown = x.unknown || y.unknown
	px, py := x.pointee, y.pointee
	x.pointee, y.pointee = nil, nil
	if p := b.unify(px, py); p != nil {
		x.find().pointee = p
	}
	return x.find()
}

func (b *builder) unifyVals(x, y ssa.Value) {
	if nx, ny := b.val(x), b.val(y); nx != nil && ny != nil {
		b.unify(nx, ny)
	}
}

// escape marks n (and what it points to) reachable by unseen code; recv
// and send say what that code may do with a channel.
func (b *builder) escape(n *node, why string, recv, send bool) {
	for n != nil {
		n = n.find()
		if n.escaped == "" {
			n.escaped = why
		}
		if !b.param {
			n.escapedOther = true
		}
		n.extRecv = n.extRecv || recv
		n.extSend = n.extSend || send
		n = n.pointee
		recv, send = true, true
	}
}

// escapeVal escapes v, with the direction of v's channel type.
func (b *builder) escapeVal(v ssa.Value, why string) {
	n := b.val(v)
	if n == nil {
		return
	}
	recv, send := true, true
	if ch, ok := v.Type().Underlying().(*types.Chan); ok {
		recv, send = ch.Dir() != types.SendOnly, ch.Dir() != types.RecvOnly
	}
	b.escape(n, why, recv, send)
}

func (b *builder) unknownVal(v ssa.Value) {
	if n := b.val(v); n != nil {
		n.unknown = true
		b.escape(n, "it may come from code the package does not see", true, true)
	}
}

func (b *builder) addOp(n *node, kind OpKind, instr ssa.Instruction, c int) {
	if n == nil {
		return
	}
	op := &Op{Kind: kind, Instr: instr, Fn: instr.Parent(), Case: c}
	n = n.find()
	n.ops = append(n.ops, op)
	b.m.OpsAt[instr] = append(b.m.OpsAt[instr], op)
}

// build walks every function of the package once. It reports false past
// the budget.
func (b *builder) build() bool {
	roots := b.m.findRoots()
	b.m.roots = roots
	b.param = true
	for _, fn := range b.m.funcs { // in order: node creation is deterministic
		if !roots[fn] {
			continue
		}
		// an entry point's callers are not all seen: its parameters may
		// hold anything
		for _, p := range fn.Params {
			b.unknownVal(p)
		}
	}
	b.param = false
	for _, fn := range b.m.funcs {
		for _, blk := range fn.Blocks {
			for _, instr := range blk.Instrs {
				b.instr(fn, instr, roots[fn])
				if b.over {
					return false
				}
			}
		}
	}
	b.objects()
	return true
}

func (b *builder) instr(fn *ssa.Function, instr ssa.Instruction, root bool) {
	switch in := instr.(type) {
	case *ssa.Phi:
		for _, e := range in.Edges {
			b.unifyVals(in, e)
		}
	case *ssa.UnOp:
		switch in.Op {
		case token.MUL:
			if n := b.val(in.X); n != nil {
				b.unify(b.val(in), b.pointee(n))
			}
		case token.ARROW:
			b.addOp(b.val(in.X), Recv, in, 0)
			if in.CommaOk {
				return // the element is read through an Extract
			}
			b.unknownVal(in) // a channel received from a channel
		}
	case *ssa.Store:
		if n := b.val(in.Addr); n != nil {
			b.unify(b.val(in.Val), b.pointee(n))
		} else if b.m.interesting(in.Val.Type()) {
			b.escapeVal(in.Val, "it is stored where the package cannot follow it")
		}
	case *ssa.FieldAddr:
		if n := b.val(in); n != nil {
			b.unify(b.pointee(n), b.field(fieldOf(in.X.Type(), in.Field)))
		}
	case *ssa.Field:
		if n := b.val(in); n != nil {
			b.unify(n, b.field(fieldOf(in.X.Type(), in.Field)))
		}
	case *ssa.Alloc:
		if n := b.val(in); n != nil {
			if b.m.trackedKind(typeElem(in.Type())) == WaitGroup {
				p := b.pointee(n)
				p.kind = WaitGroup
				p.origins = append(p.origins, in)
			}
		}
	case *ssa.MakeChan:
		n := b.val(in)
		n.origins = append(n.origins, in)
	case *ssa.ChangeType:
		if b.m.interesting(in.Type()) {
			b.unifyVals(in, in.X)
		} else {
			b.escapeVal(in.X, "it is converted to a type the package does not follow")
		}
	case *ssa.MakeInterface:
		b.escapeVal(in.X, "it is converted to an interface")
	case *ssa.Send:
		b.addOp(b.val(in.Chan), Send, in, 0)
		b.escapeVal(in.X, "it is sent on a channel")
	case *ssa.Select:
		for i, st := range in.States {
			kind := SelectRecv
			if st.Dir == types.SendOnly {
				kind = SelectSend
				b.escapeVal(st.Send, "it is sent on a channel")
			}
			b.addOp(b.val(st.Chan), kind, in, i)
		}
	case *ssa.Extract:
		b.extract(in)
	case *ssa.Index, *ssa.Lookup, *ssa.TypeAssert, *ssa.Next, *ssa.Slice, *ssa.Convert, *ssa.MultiConvert:
		if v, ok := in.(ssa.Value); ok {
			b.unknownVal(v)
		}
	case *ssa.IndexAddr:
		if n := b.val(in); n != nil {
			p := b.pointee(n)
			p.unknown = true
			b.escape(p, "it is kept in a slice or array", true, true)
		}
	case *ssa.MapUpdate:
		b.escapeVal(in.Value, "it is kept in a map")
		b.escapeVal(in.Key, "it is kept in a map")
	case *ssa.MakeClosure:
		callee := in.Fn.(*ssa.Function)
		for i, bv := range in.Bindings {
			if i < len(callee.FreeVars) {
				b.unifyVals(bv, callee.FreeVars[i])
			}
		}
	case *ssa.Return:
		for i, r := range in.Results {
			if !b.m.interesting(r.Type()) {
				continue
			}
			b.unify(b.ret(fn, i), b.val(r))
			if root {
				b.escapeVal(r, "an entry point returns it")
			}
		}
	case *ssa.Call:
		b.call(in, in.Common(), in)
	case *ssa.Go:
		b.call(in, in.Common(), nil)
	case *ssa.Defer:
		b.call(in, in.Common(), nil)
	}
}

func typeElem(t types.Type) types.Type {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		return p.Elem()
	}
	return nil
}

// fieldOf is field i of the struct that t (a struct or a pointer to one)
// is.
func fieldOf(t types.Type, i int) *types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	return t.Underlying().(*types.Struct).Field(i)
}

func (b *builder) extract(in *ssa.Extract) {
	if !b.m.interesting(in.Type()) {
		return
	}
	switch t := in.Tuple.(type) {
	case *ssa.Call:
		if b.knownResult(t, in) {
			return
		}
		callees := b.m.callees[t]
		if len(callees) == 0 {
			b.unknownVal(in)
		}
		for _, g := range callees {
			if !b.m.inPkg[g] {
				b.unknownVal(in)
				continue
			}
			b.unify(b.val(in), b.ret(g, in.Index))
		}
	case *ssa.UnOp, *ssa.Select, *ssa.TypeAssert, *ssa.Lookup, *ssa.Next:
		b.unknownVal(in)
	default:
		b.unknownVal(in)
	}
}

// call models one call, go or defer; v is the call's value (nil for go
// and defer).
func (b *builder) call(instr ssa.CallInstruction, c *ssa.CallCommon, v *ssa.Call) {
	if bi, ok := c.Value.(*ssa.Builtin); ok {
		switch bi.Name() {
		case "close":
			b.addOp(b.val(c.Args[0]), Close, instr, 0)
		case "len", "cap", "print", "println":
		default:
			for _, a := range c.Args {
				b.escapeVal(a, "a builtin takes it")
			}
		}
		return
	}
	if b.known(instr, c, v) {
		return
	}
	if !c.IsInvoke() && b.m.trackedKind(c.Value.Type()) == Cancel {
		b.addOp(b.val(c.Value), CancelCall, instr, 0)
		return
	}
	callees := b.m.callees[instr]
	external := len(callees) == 0
	for _, g := range callees {
		if !b.m.inPkg[g] {
			external = true
			continue
		}
		args := c.Args
		if c.IsInvoke() {
			args = append([]ssa.Value{c.Value}, c.Args...)
		}
		for i, a := range args {
			if i < len(g.Params) {
				b.unifyVals(a, g.Params[i])
			}
		}
		if v != nil && g.Signature.Results().Len() == 1 {
			if n := b.val(v); n != nil {
				b.unify(n, b.ret(g, 0))
			}
		}
	}
	if external {
		var handled []bool
		if len(callees) == 1 && !c.IsInvoke() {
			if sum := b.summaryOf(callees[0]); sum != nil {
				handled = b.summarised(instr, sum, c.Args)
			}
		}
		for i, a := range c.Args {
			if handled != nil && handled[i] {
				continue // its summary says what it does with it, and that it keeps nothing
			}
			b.escapeVal(a, "a function the package does not see takes it")
		}
		if c.IsInvoke() {
			b.escapeVal(c.Value, "a function the package does not see takes it")
		}
		if v != nil {
			b.unknownVal(v)
		}
	}
}

// known models the sync.WaitGroup and context APIs; it reports whether
// the call was one of them.
func (b *builder) known(instr ssa.CallInstruction, c *ssa.CallCommon, v *ssa.Call) bool {
	if c.IsInvoke() {
		if b.m.trackedKind(c.Value.Type()) != Context {
			return false
		}
		if b.m.api.IsDone(c.Method) && v != nil {
			n := b.val(v)
			n.origins = append(n.origins, v)
			// the channel's closer is the context: keep the link
			n.derived = append(n.derived, derivation{parent: b.val(c.Value)})
		}
		return true // Err, Value, Deadline only read it
	}
	fn, _ := c.Value.(*ssa.Function)
	if fn == nil {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || obj.Pkg() == nil {
		return false
	}
	switch b.m.api.WaitGroupMethod(obj) {
	case "Add":
		kind := AddAny
		if k, ok := c.Args[1].(*ssa.Const); ok && k.Value != nil && k.Value.Kind() == constant.Int && constant.Sign(k.Value) > 0 {
			kind = Add
		}
		b.addOp(b.wg(c.Args[0]), kind, instr, 0)
		return true
	case "Done":
		b.addOp(b.wg(c.Args[0]), Done, instr, 0)
		return true
	case "Wait":
		b.addOp(b.wg(c.Args[0]), Wait, instr, 0)
		return true
	case "Go":
		b.addOp(b.wg(c.Args[0]), WGGo, instr, 0)
		return true
	}
	switch b.m.api.ContextDerive(obj) {
	case apis.NeverDone:
		if v != nil {
			n := b.val(v)
			n.kind = Context
			n.origins = append(n.origins, v)
			n.derived = append(n.derived, derivation{never: true})
		}
		return true
	case apis.FromParent:
		if v != nil {
			n := b.val(v)
			n.origins = append(n.origins, v)
			n.derived = append(n.derived, derivation{parent: b.val(c.Args[0])})
		}
		return true
	case apis.Cancellable, apis.Timed:
		return v != nil // results are read by knownResult
	}
	return false
}

// wg is the WaitGroup object a *sync.WaitGroup value points to.
func (b *builder) wg(p ssa.Value) *node {
	n := b.val(p)
	if n == nil {
		return nil
	}
	o := b.pointee(n)
	o.kind = WaitGroup
	return o
}

// knownResult models the results of context.With...: it reports whether
// the tuple is one of theirs.
func (b *builder) knownResult(call *ssa.Call, in *ssa.Extract) bool {
	fn, _ := call.Call.Value.(*ssa.Function)
	if fn == nil {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	how := b.m.api.ContextDerive(obj)
	if how != apis.Cancellable && how != apis.Timed {
		return false
	}
	fires := how == apis.Timed // a timer may cancel it
	ctx, cancel := b.extractOf(call, 0), b.extractOf(call, 1)
	n := b.val(ctx)
	if in.Index == 0 && n != nil {
		n.kind = Context
		n.origins = append(n.origins, call)
		n.derived = append(n.derived, derivation{parent: b.val(call.Call.Args[0]), cancel: b.val(cancel), fires: fires})
	}
	if in.Index == 1 {
		if c := b.val(in); c != nil {
			c.kind = Cancel
			c.origins = append(c.origins, call)
		}
	}
	return true
}

// extractOf is the Extract of result i of call, nil if nothing reads it.
func (b *builder) extractOf(call *ssa.Call, i int) ssa.Value {
	for _, r := range *call.Referrers() {
		if e, ok := r.(*ssa.Extract); ok && e.Index == i {
			return e
		}
	}
	return nil
}

// objects turns the classes into Objects.
func (b *builder) objects() {
	seen := map[*node]*Object{}
	add := func(n *node) {
		n = n.find()
		if seen[n] != nil || n.kind == 0 {
			return
		}
		o := &Object{Kind: n.kind, Origins: n.origins, Fields: n.fields, Ops: n.ops,
			Escaped: n.escaped, ExtRecv: n.extRecv, ExtSend: n.extSend, Unknown: n.unknown, Cap: -1, n: n}
		o.Cap = capOf(n.origins)
		n.obj = o
		seen[n] = o
		b.m.Objects = append(b.m.Objects, o)
		b.m.Stats.Objects++
	}
	for _, n := range b.all {
		add(n)
	}
	// Compress every class to its root: the passes read the model
	// concurrently, and find must not write once the model is built.
	for _, n := range b.all {
		if r := n.find(); r != n {
			n.parent = r
		}
	}
	for _, o := range b.m.Objects {
		for _, op := range o.Ops {
			op.node = o.n
			b.m.Stats.Ops++
		}
	}
}

// capOf is the common constant capacity of the makes among origins, -1
// when they differ or one is not constant.
func capOf(origins []ssa.Value) int64 {
	c := int64(-2)
	for _, o := range origins {
		mk, ok := o.(*ssa.MakeChan)
		if !ok {
			continue
		}
		k, ok := mk.Size.(*ssa.Const)
		if !ok || k.Value == nil {
			return -1
		}
		n, exact := constant.Int64Val(constant.ToInt(k.Value))
		if !exact || (c != -2 && c != n) {
			return -1
		}
		c = n
	}
	if c == -2 {
		return 0 // nil channels and ctx.Done only: no buffer
	}
	return c
}
