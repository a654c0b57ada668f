// Package stackfittest wires the core for tests of several packages as
// cmd/stackfit wires it, so that no test can pair a store with a hub the
// core does not listen to. Only tests import it.
package stackfittest

import (
	"context"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/rules"
	"stackfit/store"
)

// Core is the core over a real SQLite file whose store publishes each
// workshop change to the hub the core subscribes to.
type Core struct {
	App   *stackfit.App
	Rules *rules.Ruleset
	Store *store.Store
	Hub   *events.Hub
}

// Options tune the wiring.
type Options struct {
	Store []store.Option
	App   []stackfit.Option
	// Wrap is how the core sees the store (a test may count its calls); nil: as it is.
	Wrap func(stackfit.Store) stackfit.Store
}

// Open wires the core over the database file at path. The caller closes
// Store, since a test may reopen the same file.
func Open(tb testing.TB, path string, o Options) Core {
	tb.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		tb.Fatal(err)
	}
	hub := events.NewHub()
	st, err := store.Open(context.Background(), path, append([]store.Option{store.PublishTo(hub)}, o.Store...)...)
	if err != nil {
		tb.Fatal(err)
	}
	var seen stackfit.Store = st
	if o.Wrap != nil {
		seen = o.Wrap(st)
	}
	return Core{App: stackfit.New(rs, seen, hub, o.App...), Rules: rs, Store: st, Hub: hub}
}
