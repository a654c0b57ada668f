package events

import (
	"sync"
	"testing"

	"stackfit"
)

func TestPublishReachesOnlyThatWorkshop(t *testing.T) {
	h := NewHub()
	a, stopA := h.Subscribe("AAAAAA")
	defer stopA()
	b, stopB := h.Subscribe("BBBBBB")
	defer stopB()
	h.Publish("AAAAAA", stackfit.EventSubmitted, "p1")
	h.Publish("AAAAAA", stackfit.EventRevealed, "")
	if e := <-a; e.Kind != stackfit.EventSubmitted || e.Participant != "p1" || e.ID != 1 {
		t.Errorf("first event %+v", e)
	}
	if e := <-a; e.Kind != stackfit.EventRevealed || e.ID != 2 {
		t.Errorf("second event %+v", e)
	}
	select {
	case e := <-b:
		t.Errorf("workshop B heard %+v", e)
	default:
	}
}

func TestStopClosesOnce(t *testing.T) {
	h := NewHub()
	ch, stop := h.Subscribe("AAAAAA")
	stop()
	stop()
	if _, open := <-ch; open {
		t.Error("channel still open after stop")
	}
	if n := h.Subscribers("AAAAAA"); n != 0 {
		t.Errorf("%d subscribers left", n)
	}
	h.Publish("AAAAAA", stackfit.EventClosed, "") // no subscriber: must not panic
}

func TestSlowSubscriberIsDropped(t *testing.T) {
	h := NewHub()
	slow, stopSlow := h.Subscribe("AAAAAA")
	defer stopSlow()
	for range buffer + 1 {
		h.Publish("AAAAAA", stackfit.EventSubmitted, "")
	}
	n := 0
	for range slow {
		n++
	}
	if n != buffer {
		t.Errorf("slow subscriber got %d events before being dropped, want %d", n, buffer)
	}
}

func TestConcurrentPublishers(t *testing.T) {
	h := NewHub()
	ch, stop := h.Subscribe("AAAAAA")
	defer stop()
	var wg sync.WaitGroup
	// As many as the buffer holds unread (it was 300 with a buffer of 1024).
	for range buffer {
		wg.Go(func() { h.Publish("AAAAAA", stackfit.EventSubmitted, "") })
	}
	wg.Wait()
	seen := map[uint64]bool{}
	for range buffer {
		e := <-ch
		if seen[e.ID] {
			t.Fatalf("id %d twice", e.ID)
		}
		seen[e.ID] = true
	}
}

func TestLatestIsEachWorkshopsLastEvent(t *testing.T) {
	h := NewHub()
	steps := []struct {
		publish    string // workshop to publish to, "" for none
		workshop   string
		wantLatest uint64
	}{
		{"", "AAAAAA", 0},
		{"AAAAAA", "AAAAAA", 1},
		{"BBBBBB", "AAAAAA", 1},
		{"BBBBBB", "BBBBBB", 3},
		{"AAAAAA", "AAAAAA", 4},
		{"", "CCCCCC", 0},
	}
	for i, step := range steps {
		if step.publish != "" {
			h.Publish(step.publish, stackfit.EventSubmitted, "")
		}
		if got := h.Latest(step.workshop); got != step.wantLatest {
			t.Errorf("step %d: Latest(%s) = %d, want %d", i, step.workshop, got, step.wantLatest)
		}
	}
}

func TestResyncEndsStreamsAndChangesLatest(t *testing.T) {
	h := NewHub()
	a, stopA := h.Subscribe("AAAAAA")
	defer stopA()
	b, stopB := h.Subscribe("BBBBBB")
	defer stopB()
	h.Publish("AAAAAA", stackfit.EventSubmitted, "p1") // id 1
	<-a
	before := map[string]uint64{"AAAAAA": h.Latest("AAAAAA"), "CCCCCC": h.Latest("CCCCCC")}

	h.Resync()
	for name, ch := range map[string]<-chan stackfit.Event{"AAAAAA": a, "BBBBBB": b} {
		if e, open := <-ch; open {
			t.Errorf("%s: subscriber still open after Resync, got %+v", name, e)
		}
	}
	if n := h.Subscribers("AAAAAA") + h.Subscribers("BBBBBB"); n != 0 {
		t.Errorf("%d subscribers left after Resync", n)
	}
	// Every workshop's Latest moves on, the ones never heard of included:
	// a summary kept under the old value is read again.
	for code, was := range before {
		if got := h.Latest(code); got <= was {
			t.Errorf("Latest(%s) = %d after Resync, was %d: want it to grow", code, got, was)
		}
	}
	// Events after it flow again, with ids above the resync's.
	resynced := h.Latest("CCCCCC")
	c, stopC := h.Subscribe("AAAAAA")
	defer stopC()
	e := h.Publish("AAAAAA", stackfit.EventRevealed, "")
	if got := <-c; got != e || e.ID <= resynced {
		t.Errorf("after Resync got %+v (published %+v), want an id above %d", got, e, resynced)
	}
	if got := h.Latest("AAAAAA"); got != e.ID {
		t.Errorf("Latest(AAAAAA) = %d, want the new event's %d", got, e.ID)
	}
	stopA() // stopping a channel Resync closed must not panic
}
