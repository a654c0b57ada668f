package main

import (
	"context"
	"fmt"
	"net/url"

	"stackfit"
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
// the path of a SQLite file. Either publishes each workshop change to events.
// Both time their commits and count the results saved in m (nil counts
// nothing).
func openDatabase(ctx context.Context, db string, events stackfit.EventPublisher, m *metrics.Metrics) (database, error) {
	if postgres.IsURL(db) {
		st, err := postgres.Open(ctx, db, postgres.PublishTo(events), postgres.WithMetrics(m))
		if err != nil {
			return nil, err
		}
		return st, nil
	}
	st, err := store.Open(ctx, db, store.PublishTo(events), store.WithMetrics(m))
	if err != nil {
		return nil, err
	}
	return st, nil
}

// sharedAllowances are the per-address limits' allowances in a PostgreSQL
// database, which every instance on it shares; nil for SQLite, where the
// one instance keeps them in memory.
func sharedAllowances(ctx context.Context, st database) (*postgres.Allowances, error) {
	pg, ok := st.(*postgres.Store)
	if !ok {
		return nil, nil
	}
	al, err := pg.Allowances(ctx)
	if err != nil {
		return nil, fmt.Errorf("rate limits: %w", err)
	}
	return al, nil
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
