package stackfit_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"stackfit"
	"stackfit/events"
	"stackfit/rules"
	"stackfit/stackfittest"
)

// testApp is the core as cmd/stackfit wires it: a real SQLite store in a
// temp dir that publishes to an in-process hub.
type testApp struct {
	*stackfit.App
	t     *testing.T
	rules *rules.Ruleset
	hub   *events.Hub
}

// client is the network address the tests' requests come from.
const client = "192.0.2.1"

func newTestApp(t *testing.T, opts ...stackfit.Option) *testApp {
	t.Helper()
	return newAppOver(t, func(st stackfit.Store) stackfit.Store { return st }, opts...)
}

// newAppOver is newTestApp with the core seeing the store through wrap.
func newAppOver(t *testing.T, wrap func(stackfit.Store) stackfit.Store, opts ...stackfit.Option) *testApp {
	t.Helper()
	c := stackfittest.Open(t, filepath.Join(t.TempDir(), "stackfit.db"), stackfittest.Options{App: opts, Wrap: wrap})
	t.Cleanup(func() { c.Store.Close() })
	return &testApp{App: c.App, t: t, rules: c.Rules, hub: c.Hub}
}

// complete answers every question with its first option.
func (a *testApp) complete() rules.Answers {
	out := rules.Answers{}
	for _, q := range a.rules.Questions() {
		out[q.ID] = rules.Choice{Options: []string{q.Options[0].ID}, Multiple: q.Multiple}
	}
	return out
}

// offTheList is a complete answer set with one option the questionnaire
// does not offer.
func (a *testApp) offTheList() rules.Answers {
	out := a.complete()
	q := a.rules.Questions()[0]
	out[q.ID] = rules.Choice{Options: []string{"no-such-option"}, Multiple: q.Multiple}
	return out
}

func (a *testApp) workshop(nw stackfit.NewWorkshop) (stackfit.Workshop, string) {
	a.t.Helper()
	w, key, err := a.CreateWorkshop(a.t.Context(), client, nw)
	if err != nil {
		a.t.Fatal(err)
	}
	return w, key
}

// wantCode fails unless err carries code ("" for no error).
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := stackfit.ErrorCode(err); got != code {
		t.Errorf("%s: error %v has code %q, want %q", what, err, got, code)
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		code, msg string
	}{
		{"no error", nil, "", ""},
		{"any other error", errors.New("disk full"), stackfit.EINTERNAL, ""},
		{"a coded error", stackfit.Errorf(stackfit.EINVALID, "Give the workshop a title."), stackfit.EINVALID, "Give the workshop a title."},
		{"wrapped", fmt.Errorf("join workshop ABC234: %w", stackfit.ErrClosed), stackfit.ECLOSED, stackfit.ErrClosed.Message},
		{"without a sentence", fmt.Errorf("read result: %w", stackfit.ErrNotFound), stackfit.ENOTFOUND, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := stackfit.ErrorCode(tt.err); got != tt.code {
				t.Errorf("ErrorCode = %q, want %q", got, tt.code)
			}
			if got := stackfit.ErrorMessage(tt.err); got != tt.msg {
				t.Errorf("ErrorMessage = %q, want %q", got, tt.msg)
			}
		})
	}
}
