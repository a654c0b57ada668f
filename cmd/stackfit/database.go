package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"

	"stackfit"
	"stackfit/events"
	"stackfit/metrics"
	"stackfit/store"
	"stackfit/store/postgres"
)

// database is what serve needs of a store: the core's Store, the open
// workshops for the metrics, and Close.
type database interface {
	stackfit.Store
	CountWorkshops(ctx context.Context) (metrics.Workshops, error)
	Close() error
}

// openDatabase opens the store --db names: a postgres:// (or postgresql://)
// URL is PostgreSQL, which several instances can share; anything else is
// the path of a SQLite file. Either publishes each workshop change to hub;
// on PostgreSQL the hub also hears the other instances' changes, until ctx
// ends or the database is closed. Both time their commits and count the
// results saved in m (nil counts nothing).
func openDatabase(ctx context.Context, db string, hub *events.Hub, m *metrics.Metrics, log *slog.Logger) (database, error) {
	if postgres.IsURL(db) {
		st, err := postgres.Open(ctx, db, postgres.PublishTo(hub), postgres.WithMetrics(m))
		if err != nil {
			return nil, err
		}
		l, err := st.Listen(ctx, hub, log)
		if err != nil {
			st.Close()
			return nil, err
		}
		return listening{st, l}, nil
	}
	st, err := store.Open(ctx, db, store.PublishTo(hub), store.WithMetrics(m))
	if err != nil {
		return nil, err
	}
	return st, nil
}

// sharedAllowances are the per-address limits' allowances in a PostgreSQL
// database, which every instance on it shares; nil for SQLite, where the
// one instance keeps them in memory.
func sharedAllowances(ctx context.Context, st database) (*postgres.Allowances, error) {
	var pg *postgres.Store
	switch st := st.(type) {
	case listening: // serve's PostgreSQL store comes with its listener
		pg = st.Store
	case *postgres.Store:
		pg = st
	default:
		return nil, nil
	}
	al, err := pg.Allowances(ctx)
	if err != nil {
		return nil, fmt.Errorf("rate limits: %w", err)
	}
	return al, nil
}

// listening is a PostgreSQL store with the listener feeding its hub.
type listening struct {
	*postgres.Store
	l *postgres.Listener
}

// Close stops listening, then closes the store.
func (d listening) Close() error {
	d.l.Close()
	return d.Store.Close()
}

// databaseName is db as it may be logged: a URL's password is replaced by
// xxxxx.
func databaseName(db string) string {
	if !postgres.IsURL(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "a PostgreSQL URL that cannot be read"
	}
	return u.Redacted()
}
