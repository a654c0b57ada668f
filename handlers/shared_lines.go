package handlers

import (
	"bytes"
	"slices"
	"sync"
)

// sharedLines keeps the lines of many pages once each, in blocks that never
// move, so that a page can be kept as the runs of those lines it is made of.
// Pages of one kind repeat each other's lines (the layout, the questions and
// their options, the reasons and their quotes), so a kept result page is
// some 180 runs of 8 bytes, and sending it is as many copies. Decompressing
// it (S2 against a dictionary, some 2.4 KB a page) took 6 to 7 µs; copying
// its runs takes about 1.2 µs.
//
// The bytes held are bounded: past the limit, a page keeps its new lines with
// itself, so pages of text no other page has (a long name) cannot grow the
// store without end.
type sharedLines struct {
	mu     sync.Mutex
	lines  map[string]run // a line, with its newline, to where it is held
	blocks [][]byte       // a list allocated up front, so reading it needs no lock
	filled int            // blocks in use; the last is being filled
	used   int            // bytes used in the last block
}

// A run is where some bytes of a page are: length, offset and block, packed
// in 8 bytes (a slice would take 24, and a pointer for the collector).
type run uint64

const (
	linesBlock = 64 << 10 // bytes a block holds
	ownBlock   = 1<<16 - 1
	runMax     = 1<<24 - 1 // the longest run, and the furthest offset
)

func newRun(block, offset, length int) run {
	return run(uint64(block)<<48 | uint64(offset)<<24 | uint64(length))
}

func (r run) block() int  { return int(r >> 48) }
func (r run) offset() int { return int(r >> 24 & runMax) }
func (r run) length() int { return int(r & runMax) }

// newSharedLines holds up to limit bytes of lines.
func newSharedLines(limit int) *sharedLines {
	// Fewer blocks than ownBlock, the number that marks a page's own lines.
	return &sharedLines{lines: map[string]run{}, blocks: make([][]byte, min(max(1, limit/linesBlock), ownBlock))}
}

// keptRuns is a page kept in sharedLines: its runs in order, the lines it
// keeps itself, and its length.
type keptRuns struct {
	runs []run
	own  []byte
	size int
}

// keep returns page as runs of held lines, holding its new lines while
// there is room; false for a page too large to keep. page is not retained.
func (s *sharedLines) keep(page []byte) (keptRuns, bool) {
	if len(page) > runMax {
		return keptRuns{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	kept := keptRuns{size: len(page)}
	for rest := page; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		r, ok := s.lines[string(line)]
		if !ok {
			r, ok = s.hold(line)
		}
		if !ok {
			r = newRun(ownBlock, len(kept.own), len(line))
			kept.own = append(kept.own, line...)
		}
		if n := len(kept.runs); n > 0 && kept.runs[n-1].block() == r.block() &&
			kept.runs[n-1].offset()+kept.runs[n-1].length() == r.offset() {
			last := kept.runs[n-1]
			kept.runs[n-1] = newRun(last.block(), last.offset(), last.length()+r.length())
			continue
		}
		kept.runs = append(kept.runs, r)
	}
	// Copies of their size: a thousand pages hold these, and append's
	// spare capacity would stay with each.
	kept.runs, kept.own = slices.Clone(kept.runs), slices.Clone(kept.own)
	return kept, true
}

// hold copies line into the block being filled, when there is room; the
// caller holds s.mu.
func (s *sharedLines) hold(line []byte) (run, bool) {
	if len(line) > linesBlock {
		return 0, false
	}
	if s.filled == 0 || s.used+len(line) > linesBlock {
		if s.filled == len(s.blocks) {
			return 0, false
		}
		// Written once: later lines are copied into it, never appended,
		// so a reader of the list sees no header change.
		s.blocks[s.filled] = make([]byte, linesBlock)
		s.filled, s.used = s.filled+1, 0
	}
	b := s.filled - 1
	r := newRun(b, s.used, len(line))
	s.used += copy(s.blocks[b][s.used:], line)
	s.lines[string(line)] = r
	return r, true
}

// appendTo appends the page to dst. The bytes it reads were written before
// the page was kept; a block is written since only past them.
func (s *sharedLines) appendTo(dst []byte, k keptRuns) []byte {
	for _, r := range k.runs {
		from := k.own
		if b := r.block(); b != ownBlock {
			from = s.blocks[b]
		}
		dst = append(dst, from[r.offset():r.offset()+r.length()]...)
	}
	return dst
}
