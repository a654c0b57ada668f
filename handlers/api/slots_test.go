package api

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestSlotsBound: no more than the slots pass at once; a request waiting
// for one goes through when one is given back, and gives up when its
// context ends (the client left).
func TestSlotsBound(t *testing.T) {
	s := make(slots, 2)
	var releases []func()
	for range 2 {
		release, err := s.take(context.Background())
		if err != nil {
			t.Fatalf("take with a slot free: %v", err)
		}
		releases = append(releases, release)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.take(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("a third take while two hold the slots: %v, want it to wait until its context ends", err)
	}

	got := make(chan error, 1)
	go func() {
		release, err := s.take(context.Background())
		if err == nil {
			release()
		}
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("a take went through while both slots were held (err %v)", err)
	case <-time.After(20 * time.Millisecond):
	}
	releases[0]()
	select {
	case err := <-got:
		if err != nil {
			t.Fatalf("take after a release: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a slot given back did not let the waiting take through")
	}
	releases[1]()
	if len(s) != 0 {
		t.Fatalf("%d slot(s) still held after every release", len(s))
	}
}
