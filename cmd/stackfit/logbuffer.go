package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logFlushEvery is how long a log line may wait in the buffer: soon enough
// for someone following the log, long enough that a busy server writes
// hundreds of request lines in one call instead of one call each.
const logFlushEvery = 100 * time.Millisecond

// logBuffer gathers the log's lines and writes them every logFlushEvery, or
// when 32 KB wait: a line a request, each its own write call, cost the
// server as much as a tenth of a kept page's CPU. Close writes what is left.
// A crash of the whole process can lose the lines of its last 100 ms; a
// panic in a request cannot, it is recovered and logged.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, 32<<10), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(logFlushEvery)
	return b
}

// Write keeps whole lines together: slog writes each record in one call.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

func (b *logBuffer) flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

func (b *logBuffer) flushEvery(d time.Duration) {
	defer close(b.done)
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			b.flush()
		case <-b.stop:
			return
		}
	}
}

// Close stops the timer and writes what is left.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.flush()
}
