package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Group commit. Every write is a request on s.queue; one goroutine, the
// writer, takes the requests in the order they came, gathers those already
// waiting (up to maxBatch) into one transaction, commits it durably once,
// and only then answers each request. Under a burst a few hundred writes
// share a handful of fsyncs instead of one each, and a channel hands them to
// the writer first come first served, where database/sql handed its one
// connection to an arbitrary waiter.
//
// Each request runs inside a SAVEPOINT of its own: a request that fails
// (a closed workshop, a full one, an unknown participant) is rolled back to
// its savepoint and answered with its error, and the others in the batch
// commit as if it had never been there. Savepoints were chosen over running
// the batch again without the failing request because the common failures
// are ordinary answers, not faults, and should not cost the batch a second
// run. The one case they cannot cover is an error after which SQLite has
// rolled back the whole transaction itself (SQLITE_FULL, an I/O error):
// then, and only then, the batch is run again without the failing request.

// maxBatch bounds how many writes share one transaction: enough to take a
// 300-person burst in a few commits, few enough that the first in a batch
// does not wait long for the last.
const maxBatch = 64

// request is one write waiting for the writer.
type request struct {
	ctx  context.Context // carries the write's deadline, queue time included
	fn   func(ctx context.Context, tx *sql.Tx) error
	done chan error // answered once, after the commit (or the failure)

	// state goes queued → taken when the writer starts the request, or
	// queued → abandoned when its deadline passes first; whichever comes
	// first wins, so an abandoned request is never written later.
	state atomic.Int32
}

const (
	queued int32 = iota
	taken
	abandoned
)

// errClosed answers writes asked for after Close.
var errClosed = errors.New("store closed")

// inTx runs fn in a write transaction, committing when fn returns nil, and
// returns once that commit is durable. fn may share the transaction with
// other writes; its own changes are kept or undone as one (a savepoint).
// BEGIN takes the write lock at once (_txlock=immediate), so fn may read and
// then write without another process slipping in between. fn must use the
// ctx it is given, not its caller's: the writer's context is never
// cancelled half-way through a statement, which in SQLite would roll back
// the whole shared transaction.
//
// The write has s.writeDeadline from now, its wait in the queue included.
// When the lock, the queue or the disk keep it from happening in time, the
// error is stackfit.EUNAVAILABLE: nothing was written, try again.
func (s *Store) inTx(ctx context.Context, fn func(ctx context.Context, tx *sql.Tx) error) error {
	ctx, cancel := context.WithTimeout(ctx, s.writeDeadline)
	defer cancel()
	r := &request{ctx: ctx, fn: fn, done: make(chan error, 1)}
	select {
	case s.queue <- r:
	case <-ctx.Done():
		return unavailable(ctx, ctx.Err())
	case <-s.quit:
		return errClosed
	}
	select {
	case err := <-r.done:
		return err
	case <-ctx.Done():
		if r.state.CompareAndSwap(queued, abandoned) {
			return unavailable(ctx, ctx.Err())
		}
	case <-s.quit:
		if r.state.CompareAndSwap(queued, abandoned) {
			return errClosed
		}
	}
	return <-r.done // the writer has it: wait for its commit
}

// writeLoop is the writer goroutine: it runs until Close.
func (s *Store) writeLoop() {
	defer close(s.stopped)
	for {
		var first *request
		select {
		case first = <-s.queue:
		case <-s.quit:
			return
		}
		batch := []*request{first}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-s.queue:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		s.runBatch(batch)
	}
}

// runBatch writes the batch in one transaction and answers every request.
func (s *Store) runBatch(batch []*request) {
	claimed := batch[:0]
	for _, r := range batch {
		if r.state.CompareAndSwap(queued, taken) {
			claimed = append(claimed, r)
		} // else abandoned in the queue: never written, already answered
	}
	batch = claimed
	for len(batch) > 0 {
		began := time.Now() // waits for the write lock count too: a writer waits them
		tx, live := s.begin(batch)
		if tx == nil {
			return
		}
		batch = s.runTx(tx, live, began)
	}
}

// begin starts a write transaction for the batch, trying again while
// another process holds the write lock. It answers the requests whose
// deadline passes meanwhile, and returns those still to run.
func (s *Store) begin(batch []*request) (*sql.Tx, []*request) {
	var err error
	for {
		live := batch[:0]
		for _, r := range batch {
			if r.ctx.Err() != nil {
				r.done <- unavailable(r.ctx, errors.Join(r.ctx.Err(), err))
				continue
			}
			live = append(live, r)
		}
		batch = live
		if len(batch) == 0 {
			return nil, nil
		}
		var tx *sql.Tx
		tx, err = s.write.BeginTx(context.Background(), nil)
		if err == nil {
			return tx, batch
		}
		if !isBusy(err) {
			for _, r := range batch {
				r.done <- unavailable(r.ctx, err)
			}
			return nil, nil
		}
	}
}

// runTx runs each request in its own savepoint in tx, commits, and answers
// every request. When a request's failure took the whole transaction with
// it, runTx rolls back, answers that request, and returns the others to be
// run again in a new transaction.
func (s *Store) runTx(tx *sql.Tx, batch []*request, began time.Time) (again []*request) {
	ctx := context.Background()
	var ok []*request
	for i, r := range batch {
		if r.ctx.Err() != nil { // its deadline passed before its turn
			r.done <- unavailable(r.ctx, r.ctx.Err())
			continue
		}
		if _, err := tx.ExecContext(ctx, "SAVEPOINT write"); err != nil {
			tx.Rollback()
			r.done <- unavailable(r.ctx, err)
			return append(ok, batch[i+1:]...)
		}
		err := call(ctx, tx, r.fn)
		if err == nil {
			if _, err = tx.ExecContext(ctx, "RELEASE write"); err == nil {
				ok = append(ok, r)
				continue
			}
		}
		r.done <- unavailable(r.ctx, err)
		if _, rerr := tx.ExecContext(ctx, "ROLLBACK TO write; RELEASE write"); rerr != nil {
			// SQLite rolled back the whole transaction on err: run the
			// others again, without this one.
			tx.Rollback()
			return append(ok, batch[i+1:]...)
		}
	}
	err := tx.Commit()
	if err != nil {
		err = fmt.Errorf("commit: %w", err)
	} else {
		s.commits.Add(1)
		s.metrics.Committed(len(ok), time.Since(began))
	}
	for _, r := range ok {
		r.done <- unavailable(r.ctx, err)
	}
	return nil
}

// call runs one write, turning a panic into that write's error: on the
// writer goroutine a panic would stop the whole process, not fail one request.
func call(ctx context.Context, tx *sql.Tx, fn func(context.Context, *sql.Tx) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("write panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(ctx, tx)
}

// queueLen is how many writes may wait in the channel; more wait to send,
// still in order (a channel's blocked senders are served first in, first
// out).
const queueLen = 1024
