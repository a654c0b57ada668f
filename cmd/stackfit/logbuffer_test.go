package main

import (
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// Every line logged, by many goroutines at once, comes out whole and once,
// each goroutine's in its order, once the buffer is closed; lines longer
// than the buffer too.
func TestLogBufferKeepsEveryLineWhole(t *testing.T) {
	tests := []struct {
		name       string
		goroutines int
		lines      int
		size       int // of each line's message
	}{
		{"one line", 1, 1, 10},
		{"many small lines at once", 8, 500, 40},
		{"lines longer than the buffer", 4, 5, 40 << 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			b := newLogBuffer(&out)
			log := slog.New(slog.NewTextHandler(b, nil))
			var wg sync.WaitGroup
			for g := range tt.goroutines {
				wg.Go(func() {
					for i := range tt.lines {
						log.Info("request", "g", g, "i", i, "msg", strings.Repeat("x", tt.size))
					}
				})
			}
			wg.Wait()
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(lines) != tt.goroutines*tt.lines {
				t.Fatalf("%d lines, want %d", len(lines), tt.goroutines*tt.lines)
			}
			next := make([]int, tt.goroutines)
			for _, line := range lines {
				var g, i int
				if _, err := fmt.Sscanf(line[strings.Index(line, " g="):], " g=%d i=%d", &g, &i); err != nil {
					t.Fatalf("broken line %.80q: %v", line, err)
				}
				if i != next[g] || !strings.HasSuffix(line, "msg="+strings.Repeat("x", tt.size)) {
					t.Fatalf("goroutine %d: line %d where %d was due, or cut", g, i, next[g])
				}
				next[g]++
			}
		})
	}
}
