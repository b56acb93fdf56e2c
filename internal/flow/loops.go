package flow

import (
	"slices"

	"golang.org/x/tools/go/ssa"
)

// CycleOf returns the blocks on a cycle through b.
func CycleOf(b *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	loop := map[*ssa.BasicBlock]bool{b: true}
	for _, x := range b.Parent().Blocks {
		if Reaches(b, x) && Reaches(x, b) {
			loop[x] = true
		}
	}
	return loop
}

// NaturalLoop returns the header and the blocks of the innermost natural
// loop containing b: a header h dominating b with back edges t -> h (h
// dominates t), whose body (the blocks reaching a t without passing h,
// over all of h's back edges: continue makes several) holds b.
func NaturalLoop(b *ssa.BasicBlock) (*ssa.BasicBlock, map[*ssa.BasicBlock]bool) {
	var bestH *ssa.BasicBlock
	var best map[*ssa.BasicBlock]bool
	for _, h := range b.Parent().Blocks {
		if !h.Dominates(b) {
			continue
		}
		if body := loopBody(h); body[b] && (best == nil || len(body) < len(best)) {
			bestH, best = h, body
		}
	}
	return bestH, best
}

// loopBody returns the blocks of the natural loop headed by h: those
// reaching a back edge t -> h (h dominates t) without passing h; nil if h
// heads no loop.
func loopBody(h *ssa.BasicBlock) map[*ssa.BasicBlock]bool {
	var stack []*ssa.BasicBlock
	for _, t := range h.Preds {
		if h.Dominates(t) {
			stack = append(stack, t) // a back edge
		}
	}
	if len(stack) == 0 {
		return nil
	}
	body := map[*ssa.BasicBlock]bool{h: true}
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if body[x] {
			continue
		}
		body[x] = true
		stack = append(stack, x.Preds...)
	}
	return body
}

// InCycle reports whether b can reach itself.
func InCycle(b *ssa.BasicBlock) bool { return Reaches(b, b) }

// SameCycle reports whether a and b lie on a common cycle.
func SameCycle(a, b *ssa.BasicBlock) bool { return Reaches(a, b) && Reaches(b, a) }

// Reaches reports whether a non-empty path leads from a to b.
func Reaches(a, b *ssa.BasicBlock) bool {
	seen := make([]bool, len(a.Parent().Blocks))
	stack := slices.Clone(a.Succs)
	for len(stack) > 0 {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if x == b {
			return true
		}
		if seen[x.Index] {
			continue
		}
		seen[x.Index] = true
		stack = append(stack, x.Succs...)
	}
	return false
}

type Loop struct {
	Header *ssa.BasicBlock
	Body   map[*ssa.BasicBlock]bool
}

// LoopsOf returns the natural loops of fn, one per header.
func LoopsOf(fn *ssa.Function) []Loop {
	var out []Loop
	for _, h := range fn.Blocks {
		if body := loopBody(h); body != nil {
			out = append(out, Loop{h, body})
		}
	}
	return out
}
