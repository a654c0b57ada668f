package handlers

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every page comes back byte for byte from its runs, whatever it shares
// with the pages kept before it, and however full the store is.
func TestSharedLinesGiveBackEachPage(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	lines := make([]string, 40)
	for i := range lines {
		lines[i] = fmt.Sprintf("<li>line %d %s</li>\n", i, strings.Repeat("x", rng.IntN(200)))
	}
	page := func() []byte {
		var b bytes.Buffer
		for range 1 + rng.IntN(120) {
			b.WriteString(lines[rng.IntN(len(lines))])
		}
		if rng.IntN(4) == 0 {
			b.WriteString("no newline at the end")
		}
		return b.Bytes()
	}
	tests := []struct {
		name  string
		limit int
		pages [][]byte
	}{
		{"empty page", 1 << 20, [][]byte{{}}},
		{"one line without a newline", 1 << 20, [][]byte{[]byte("only")}},
		{"blank lines", 1 << 20, [][]byte{[]byte("\n\n\n"), []byte("a\n\n\nb")}},
		{"a line longer than a block", 1 << 20, [][]byte{append(bytes.Repeat([]byte("y"), linesBlock+1), '\n'), []byte("z\n")}},
		{"room for every line", 1 << 20, nil},
		{"room for one block: the rest kept with each page", linesBlock, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pages := tt.pages
			if pages == nil {
				for range 200 {
					pages = append(pages, page())
				}
			}
			s := newSharedLines(tt.limit)
			kept := make([]keptRuns, len(pages))
			for i, p := range pages {
				var ok bool
				if kept[i], ok = s.keep(bytes.Clone(p)); !ok {
					t.Fatalf("page %d not kept", i)
				}
			}
			for i, p := range pages { // after all were kept, so later lines cannot spoil earlier pages
				if got := s.appendTo([]byte("prefix"), kept[i]); !bytes.Equal(got, append([]byte("prefix"), p...)) {
					t.Fatalf("page %d came back as\n%q\nnot\n%q", i, got, p)
				}
				if kept[i].size != len(p) {
					t.Errorf("page %d: size %d, not %d", i, kept[i].size, len(p))
				}
			}
		})
	}
}

// Lines are held once, so that pages of one kind cost their runs, not their
// bytes; past the limit, new lines stay with their page and the store does
// not grow.
func TestSharedLinesHoldEachLineOnce(t *testing.T) {
	s := newSharedLines(linesBlock)
	layout := "<html>\n<body>\n<main>\n"
	for i := range 100 {
		p := fmt.Sprintf("%s<h1>page</h1>\n<p>answer %d</p>\n</main>\n", layout, i%10)
		k, _ := s.keep([]byte(p))
		if i >= 10 && len(k.own) != 0 {
			t.Fatalf("page %d keeps %d bytes of its own, though every line was held", i, len(k.own))
		}
		// The layout and the heading, held together, are one run.
		if i == 0 && len(k.runs) != 1 {
			t.Errorf("the first page is %d runs, not 1", len(k.runs))
		}
	}
	if len(s.lines) != 15 { // 5 shared lines and 10 answers
		t.Errorf("%d lines held, not 15", len(s.lines))
	}

	full := newSharedLines(linesBlock)
	for i := 0; full.filled < len(full.blocks) || full.used < linesBlock-200; i++ {
		full.keep(fmt.Appendf(nil, "%d %s\n", i, strings.Repeat("f", 100)))
	}
	before := len(full.lines)
	k, ok := full.keep([]byte(strings.Repeat("new line\n", 3) + strings.Repeat("n", 300) + "\n"))
	if !ok || len(k.own) == 0 || len(full.lines) != before+1 {
		t.Errorf("a full store: own %d bytes, lines %d → %d; want the long line kept with the page", len(k.own), before, len(full.lines))
	}
}
