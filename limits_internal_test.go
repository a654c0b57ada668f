package stackfit

import (
	"math"
	"strconv"
	"testing"
	"time"
)

func TestAddressLimiter(t *testing.T) {
	l := newAddressLimiter("test", Rate{Burst: 3, PerMinute: 1}, false)
	for i := range 3 {
		if wait := l.take(t.Context(), "a"); wait != 0 {
			t.Fatalf("take %d within the burst: wait %v", i+1, wait)
		}
	}
	wait := l.take(t.Context(), "a")
	if wait <= 0 || wait > time.Minute {
		t.Errorf("past the burst: wait %v, want up to a minute", wait)
	}
	// A refused take spends nothing: the wait does not grow.
	if again := l.take(t.Context(), "a"); again > wait {
		t.Errorf("second refusal: wait %v, more than the first %v", again, wait)
	}
	if wait := l.take(t.Context(), "b"); wait != 0 {
		t.Errorf("another address: wait %v", wait)
	}
	if wait := newAddressLimiter("test", Rate{Burst: 1, PerMinute: 1}, true).take(t.Context(), "a"); wait != 0 {
		t.Errorf("switched off: wait %v", wait)
	}
}

// wait tells how long until the next action without spending: a client that
// has its allowance, or is unknown, waits nothing.
func TestAddressLimiterWait(t *testing.T) {
	ctx := t.Context()
	l := newAddressLimiter("test", Rate{Burst: 2, PerMinute: 6}, false) // one every 10 s
	if wait := l.wait(ctx, "a"); wait != 0 {
		t.Errorf("unknown client: wait %v", wait)
	}
	l.take(ctx, "a")
	for i := range 3 { // waiting spends nothing
		if wait := l.wait(ctx, "a"); wait != 0 {
			t.Errorf("wait %d with one token left: %v", i, wait)
		}
	}
	l.take(ctx, "a")
	if wait := l.wait(ctx, "a"); wait < 9*time.Second || wait > 10*time.Second {
		t.Errorf("burst spent: wait %v, want about 10s", wait)
	}
	if l.size() != 1 {
		t.Errorf("%d clients remembered, want 1: wait must not add any", l.size())
	}
	never := newAddressLimiter("test", Rate{Burst: 1}, false) // the burst once, then never again
	never.take(ctx, "a")
	if wait := never.wait(ctx, "a"); wait != time.Duration(math.MaxInt64) {
		t.Errorf("zero rate, burst spent: wait %v, want forever", wait)
	}
}

// The limiter forgets addresses whose allowance has refilled, and never
// remembers more than maxClients.
func TestAddressLimiterMemory(t *testing.T) {
	l := newAddressLimiter("test", Rate{Burst: 2, PerMinute: 1}, false)
	l.take(t.Context(), "idle")
	l.take(t.Context(), "busy")
	l.take(t.Context(), "busy")
	l.mu.Lock()
	l.sweep(time.Now().Add(90 * time.Second)) // "idle" has refilled its one token, "busy" not both
	l.mu.Unlock()
	if _, ok := l.clients["idle"]; ok || l.size() != 1 {
		t.Errorf("after the sweep: %d addresses, idle kept %v; want only busy", l.size(), ok)
	}
	for i := range maxClients + 10 {
		l.take(t.Context(), "10.0."+strconv.Itoa(i))
	}
	if n := l.size(); n > maxClients {
		t.Errorf("%d addresses remembered, want at most %d", n, maxClients)
	}
}

func TestWaitWords(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Millisecond:   "a few seconds",
		5 * time.Second:    "a few seconds",
		5*time.Second + 1:  "6 seconds",
		59 * time.Second:   "59 seconds",
		90 * time.Second:   "2 minutes",
		10*time.Minute - 1: "10 minutes",
	} {
		if got := waitWords(d); got != want {
			t.Errorf("waitWords(%v) = %q, want %q", d, got, want)
		}
	}
}

// BenchmarkAddressLimiter is the cost a limited write pays, from 1,000
// addresses, one at a time and from many goroutines at once; see
// BenchmarkAllowancesTake (store/postgres) for the same take in PostgreSQL.
func BenchmarkAddressLimiter(b *testing.B) {
	l := newAddressLimiter("test", Rate{Burst: 1 << 30, PerMinute: 1}, false)
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			l.take(b.Context(), "10.0.0."+strconv.Itoa(i%1000))
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				l.take(b.Context(), "10.0.0."+strconv.Itoa(i%1000))
				i++
			}
		})
	})
}

func TestNetwork(t *testing.T) {
	tests := []struct{ client, want string }{
		{"192.0.2.7", "192.0.2.7"},
		{"2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"},
		{"2001:db8:1:2::ffff", "2001:db8:1:2::/64"},
		{"fe80::1%eth0", "fe80::/64"},
		{"::ffff:192.0.2.7", "::ffff:192.0.2.7"}, // IPv4 in IPv6: one address
		{"::1", "::/64"},
		{"not an address", "not an address"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := network(tt.client); got != tt.want {
			t.Errorf("network(%q) = %q, want %q", tt.client, got, tt.want)
		}
	}
}
