package postgres

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"stackfit"
	"stackfit/events"
	"stackfit/rules"
	"stackfit/store/storetest"
)

// listeningInstance is one stackfit process's share of the events: its store, the
// hub its boards subscribe to, and the listener feeding that hub.
type listeningInstance struct {
	st  *Store
	hub *events.Hub
	l   *Listener
	log *logBuffer
}

// newListeningInstance opens a store and its listener on d, as serve does, until the
// test ends (the listener stops first, then the store closes).
func newListeningInstance(t *testing.T, d pgDatabase) listeningInstance {
	t.Helper()
	ctx := context.Background()
	hub := events.NewHub()
	st, err := Open(ctx, d.url, PublishTo(hub))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := &logBuffer{}
	l, err := st.Listen(ctx, hub, slog.New(slog.NewTextHandler(log, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)
	return listeningInstance{st: st, hub: hub, l: l, log: log}
}

// logBuffer keeps what the listener logs, for the test to read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// wait is how long an event may take to cross instances before the test
// fails: far above the milliseconds it takes, for a loaded machine.
const wait = 10 * time.Second

// next returns the next event on ch, failing the test if none comes in time
// or the channel closed.
func next(t *testing.T, ch <-chan stackfit.Event, what string) stackfit.Event {
	t.Helper()
	select {
	case e, ok := <-ch:
		if !ok {
			t.Fatalf("%s: channel closed, want an event", what)
		}
		return e
	case <-time.After(wait):
		t.Fatalf("%s: no event in %s", what, wait)
	}
	return stackfit.Event{}
}

// Every kind of workshop change made on one instance reaches the other's
// subscribers, in order; the instance that made it publishes it once, by
// the time the write returns (read-your-writes), and never a second time
// when its own notification comes back.
func TestEventsReachOtherInstances(t *testing.T) {
	ctx := context.Background()
	d := newDatabase(t)
	a, b := newListeningInstance(t, d), newListeningInstance(t, d)
	w, _, err := a.st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Across"})
	if err != nil {
		t.Fatal(err)
	}
	onA, stopA := a.hub.Subscribe(w.Code)
	defer stopA()
	onB, stopB := b.hub.Subscribe(w.Code)
	defer stopB()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})

	var ada stackfit.Participant
	steps := []struct {
		kind  stackfit.EventKind
		write func() (participant string, err error)
	}{
		{stackfit.EventJoined, func() (string, error) { p, err := a.st.Join(ctx, w.Code, "Ada"); ada = p; return p.ID, err }},
		{stackfit.EventSubmitted, func() (string, error) { p, err := a.st.Submit(ctx, w.Code, ada.ID, answers, ev); return p.ID, err }},
		{stackfit.EventSubmitted, func() (string, error) { p, err := a.st.JoinAndSubmit(ctx, w.Code, "Bo", answers, ev); return p.ID, err }},
		{stackfit.EventLocked, func() (string, error) { _, err := a.st.Lock(ctx, w.Code); return "", err }},
		{stackfit.EventUnlocked, func() (string, error) { _, err := a.st.Unlock(ctx, w.Code); return "", err }},
		{stackfit.EventRevealed, func() (string, error) { _, err := a.st.Reveal(ctx, w.Code); return "", err }},
		{stackfit.EventHidden, func() (string, error) { _, err := a.st.Hide(ctx, w.Code); return "", err }},
		{stackfit.EventRemoved, func() (string, error) { return ada.ID, a.st.RemoveParticipant(ctx, w.Code, ada.ID) }},
		{stackfit.EventClosed, func() (string, error) { _, err := a.st.CloseWorkshop(ctx, w.Code); return "", err }},
		{stackfit.EventReopened, func() (string, error) { _, err := a.st.Reopen(ctx, w.Code); return "", err }},
	}
	for i, step := range steps {
		participant, err := step.write()
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, step.kind, err)
		}
		select {
		case e := <-onA:
			if e.Kind != step.kind || e.Participant != participant {
				t.Errorf("step %d: A published %+v, want %s of %q", i, e, step.kind, participant)
			}
		default:
			t.Errorf("step %d (%s): A had not published its own change when the write returned", i, step.kind)
		}
		if e := next(t, onB, "B, step "+string(step.kind)); e.Kind != step.kind || e.Participant != participant {
			t.Errorf("step %d: B heard %+v, want %s of %q", i, e, step.kind, participant)
		}
	}
	// A's own notifications have come back by the time B's later one
	// arrives (one connection delivers them in commit order): none of them
	// may be published again.
	if _, err := b.st.Lock(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if e := next(t, onA, "A, after its own changes"); e.Kind != stackfit.EventLocked {
		t.Errorf("A published %+v after its own changes, want only B's lock", e)
	}
	if e := next(t, onB, "B, its own lock"); e.Kind != stackfit.EventLocked {
		t.Errorf("B published %+v, want its lock", e)
	}
}

// A write that does not commit notifies nobody: neither one the store
// refuses nor one rolled back after its notification was queued.
func TestUncommittedWritesNotifyNothing(t *testing.T) {
	ctx := context.Background()
	d := newDatabase(t)
	a, b := newListeningInstance(t, d), newListeningInstance(t, d)
	w, _, err := a.st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Refused"})
	if err != nil {
		t.Fatal(err)
	}
	onB, stopB := b.hub.Subscribe(w.Code)
	defer stopB()
	if _, err := a.st.CloseWorkshop(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if e := next(t, onB, "the close"); e.Kind != stackfit.EventClosed {
		t.Fatalf("B heard %+v, want the close", e)
	}
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	rolledBack := errors.New("rolled back on purpose")
	writes := []struct {
		name  string
		write func() error
		want  error
	}{
		{"join a closed workshop", func() error { _, err := a.st.Join(ctx, w.Code, "Ada"); return err }, stackfit.ErrClosed},
		{"join and submit to a closed workshop", func() error {
			_, err := a.st.JoinAndSubmit(ctx, w.Code, "Bo", answers, ev)
			return err
		}, stackfit.ErrClosed},
		{"remove nobody", func() error { return a.st.RemoveParticipant(ctx, w.Code, stackfit.NewID()) }, stackfit.ErrNotFound},
		{"a notification, then a rollback", func() error {
			return a.st.inTx(ctx, func(ctx context.Context, tx pgx.Tx) error {
				if err := a.st.notify(ctx, tx, w.Code, stackfit.EventRevealed, ""); err != nil {
					return err
				}
				return rolledBack
			})
		}, rolledBack},
	}
	for _, tt := range writes {
		if err := tt.write(); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	// Notifications arrive in commit order: had any of those been sent,
	// it would come before this one.
	if _, err := a.st.Reopen(ctx, w.Code); err != nil {
		t.Fatal(err)
	}
	if e := next(t, onB, "the reopen"); e.Kind != stackfit.EventReopened {
		t.Errorf("B heard %+v, want nothing before the reopen", e)
	}
}

// listenerPIDs are the backends of inst's listening connection, found as an
// operator would: by its application_name.
func listenerPIDs(t *testing.T, d pgDatabase, inst listeningInstance) []int32 {
	t.Helper()
	rows, err := d.pool.Query(context.Background(),
		`SELECT pid FROM pg_stat_activity WHERE application_name = $1`, "stackfit events "+inst.st.origin)
	if err != nil {
		t.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		t.Fatal(err)
	}
	return pids
}

// eventually fails the test unless cond holds within wait, asking every
// few milliseconds (a backend leaves pg_stat_activity a moment after its
// connection closes).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", wait, what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// When its connection is cut, the listener reconnects, tells every board
// to read afresh (it may have missed changes) and marks every kept summary
// stale; later changes reach it again.
func TestListenerResyncsAfterReconnect(t *testing.T) {
	ctx := context.Background()
	d := newDatabase(t)
	a, b := newListeningInstance(t, d), newListeningInstance(t, d)
	w, _, err := a.st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Cut"})
	if err != nil {
		t.Fatal(err)
	}
	onB, stopB := b.hub.Subscribe(w.Code)
	defer stopB()
	if _, err := a.st.Join(ctx, w.Code, "Ada"); err != nil {
		t.Fatal(err)
	}
	next(t, onB, "the join")
	latest, untouched := b.hub.Latest(w.Code), b.hub.Latest("ZZZZZZ")

	pids := listenerPIDs(t, d, b)
	if len(pids) != 1 {
		t.Fatalf("listening backends %v, want one", pids)
	}
	pid := pids[0]
	var killed bool
	if err := d.pool.QueryRow(ctx, `SELECT pg_terminate_backend($1)`, pid).Scan(&killed); err != nil || !killed {
		t.Fatalf("terminate the listener: %v, %v", killed, err)
	}
	// The resync closes the board's channel: it reconnects and reads afresh.
	select {
	case e, open := <-onB:
		if open {
			t.Fatalf("B's board got %+v, want its channel closed by the resync", e)
		}
	case <-time.After(wait):
		t.Fatalf("no resync in %s after the listener's connection was cut; log:\n%s", wait, b.log)
	}
	if got := b.hub.Latest(w.Code); got <= latest {
		t.Errorf("Latest(%s) = %d after the resync, was %d: a kept summary would be trusted", w.Code, got, latest)
	}
	if got := b.hub.Latest("ZZZZZZ"); got <= untouched {
		t.Errorf("Latest of a workshop B never heard of = %d after the resync, was %d", got, untouched)
	}
	eventually(t, "one listening backend, a new one", func() bool {
		pids := listenerPIDs(t, d, b)
		return len(pids) == 1 && pids[0] != pid
	})
	for _, want := range []string{"reconnecting", "again"} {
		if !strings.Contains(b.log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, b.log)
		}
	}

	onB, stopB = b.hub.Subscribe(w.Code)
	defer stopB()
	p, err := a.st.Join(ctx, w.Code, "Bo")
	if err != nil {
		t.Fatal(err)
	}
	if e := next(t, onB, "a join after the reconnect"); e.Kind != stackfit.EventJoined || e.Participant != p.ID {
		t.Errorf("B heard %+v after reconnecting, want Bo's join", e)
	}
}

// The listener ends with the context it was started with (the server's),
// and its connection with it.
func TestListenerStopsWithItsContext(t *testing.T) {
	d := newDatabase(t)
	st, err := Open(context.Background(), d.url)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	l, err := st.Listen(ctx, events.NewHub(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	inst := listeningInstance{st: st}
	if pids := listenerPIDs(t, d, inst); len(pids) != 1 {
		t.Fatalf("listening backends %v, want one", pids)
	}
	cancel()
	select {
	case <-l.done:
	case <-time.After(wait):
		t.Fatalf("the listener still runs %s after its context ended", wait)
	}
	l.Close() // after the context: must not block
	eventually(t, "no listening backend left", func() bool { return len(listenerPIDs(t, d, inst)) == 0 })
}

// freezer stands between the store and PostgreSQL's unix socket: freeze
// makes every connection open so far stop passing bytes, without closing,
// as a connection does whose peer vanished (a failover, a lost NAT entry).
// Connections made later pass.
type freezer struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	frozen []*atomic.Bool
	conns  []net.Conn
}

// newFreezer proxies the database of dbURL (on a unix socket or TCP) and
// returns the URL that goes through it.
func newFreezer(t *testing.T, dbURL string) (*freezer, string) {
	t.Helper()
	cfg, err := pgconn.ParseConfig(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	target := net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	if strings.HasPrefix(cfg.Host, "/") {
		target = filepath.Join(cfg.Host, ".s.PGSQL."+strconv.Itoa(int(cfg.Port)))
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &freezer{ln: ln, target: target}
	t.Cleanup(f.close)
	go f.serve()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Del("host")
	q.Del("port")
	u.RawQuery, u.Host = q.Encode(), ln.Addr().String()
	return f, u.String()
}

func (f *freezer) serve() {
	for {
		c, err := f.ln.Accept()
		if err != nil {
			return
		}
		network := "tcp"
		if strings.HasPrefix(f.target, "/") {
			network = "unix"
		}
		s, err := net.Dial(network, f.target)
		if err != nil {
			c.Close()
			continue
		}
		frozen := &atomic.Bool{}
		f.mu.Lock()
		f.frozen = append(f.frozen, frozen)
		f.conns = append(f.conns, c, s)
		f.mu.Unlock()
		go pass(s, c, frozen)
		go pass(c, s, frozen)
	}
}

// pass copies src to dst until either ends, dropping what it reads once frozen.
func pass(dst, src net.Conn, frozen *atomic.Bool) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !frozen.Load() {
			if _, err := dst.Write(buf[:n]); err != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

func (f *freezer) freeze() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, b := range f.frozen {
		b.Store(true)
	}
}

func (f *freezer) close() {
	f.ln.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
}

// A listening connection that silently stops answering is noticed (the
// listener pings it when nothing came for a while), replaced, and followed
// by a resync; without the ping the listener would wait on it for good.
func TestListenerReplacesASilentConnection(t *testing.T) {
	ctx := context.Background()
	d := newDatabase(t)
	f, viaFreezer := newFreezer(t, d.url)
	a := newListeningInstance(t, d)
	hub := events.NewHub()
	st, err := Open(ctx, viaFreezer, PublishTo(hub))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	log := &logBuffer{}
	l, err := st.listen(ctx, hub, slog.New(slog.NewTextHandler(log, nil)),
		timing{backoffMin: 10 * time.Millisecond, backoffMax: 100 * time.Millisecond, idle: 100 * time.Millisecond, answer: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(l.Close)

	w, _, err := a.st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Silent"})
	if err != nil {
		t.Fatal(err)
	}
	onB, stopB := hub.Subscribe(w.Code)
	defer stopB()
	if _, err := a.st.Join(ctx, w.Code, "Ada"); err != nil {
		t.Fatal(err)
	}
	next(t, onB, "the join through the freezer")

	f.freeze()
	select {
	case e, open := <-onB:
		if open {
			t.Fatalf("got %+v, want the channel closed by a resync", e)
		}
	case <-time.After(wait):
		t.Fatalf("no resync in %s after the connection went silent; log:\n%s", wait, log)
	}
	if !strings.Contains(log.String(), "no answer") {
		t.Errorf("log does not say the connection stopped answering:\n%s", log)
	}
	onB, stopB = hub.Subscribe(w.Code)
	defer stopB()
	p, err := a.st.Join(ctx, w.Code, "Bo")
	if err != nil {
		t.Fatal(err)
	}
	if e := next(t, onB, "a join after the new connection"); e.Kind != stackfit.EventJoined || e.Participant != p.ID {
		t.Errorf("got %+v, want Bo's join", e)
	}
}
