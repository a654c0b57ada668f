package store

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"stackfit"
	"stackfit/rules"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stackfit.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

func evaluation(t *testing.T, answers rules.Answers) (rules.Answers, *rules.Evaluation) {
	t.Helper()
	rs, err := rules.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	checked, err := rs.Check(answers)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := rs.Evaluate(checked)
	if err != nil {
		t.Fatal(err)
	}
	return checked, ev
}

func TestPragmas(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	tests := []struct {
		pragma string
		want   string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"synchronous", "2"}, // FULL
	}
	for _, tt := range tests {
		for name, pool := range map[string]func() string{
			"writer": func() string { return scan(t, st.write.QueryRowContext(ctx, "PRAGMA "+tt.pragma)) },
			"reader": func() string { return scan(t, st.read.QueryRowContext(ctx, "PRAGMA "+tt.pragma)) },
		} {
			if got := pool(); got != tt.want {
				t.Errorf("%s: PRAGMA %s = %s, want %s", name, tt.pragma, got, tt.want)
			}
		}
	}
}

func scan(t *testing.T, row interface{ Scan(...any) error }) string {
	t.Helper()
	var v string
	if err := row.Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSaveAndReadResult(t *testing.T) {
	st, path := openTemp(t)
	ctx := context.Background()
	answers, ev := evaluation(t, rules.Answers{"python": rules.One("strong"), "deadline": rules.One("soon")})
	saved, err := st.SaveResult(ctx, "Booking platform v2", answers, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.ID) != 22 || strings.ContainsAny(saved.ID, "+/=") {
		t.Errorf("id %q is not 22 URL-safe characters", saved.ID)
	}

	// Reopen: the row must survive the process closing the database.
	st.Close()
	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	got, err := st2.Result(ctx, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !got.CreatedAt.Equal(saved.CreatedAt) || got.Ruleset != ev.Ruleset || got.Name != "Booking platform v2" {
		t.Errorf("got created %v ruleset %s name %q, want %v %s %q", got.CreatedAt, got.Ruleset, got.Name, saved.CreatedAt, ev.Ruleset, saved.Name)
	}
	if !reflect.DeepEqual(got.Answers, answers) {
		t.Errorf("answers: got %v, want %v", got.Answers, answers)
	}
	if !reflect.DeepEqual(got.Evaluation, ev) {
		t.Errorf("evaluation changed in the round trip:\ngot  %+v\nwant %+v", got.Evaluation, ev)
	}
}

func TestResultNotFound(t *testing.T) {
	st, _ := openTemp(t)
	for _, id := range []string{"", "nope", strings.Repeat("A", 22), "'; DROP TABLE results; --", strings.Repeat("é", 11)} {
		if _, err := st.Result(context.Background(), id); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("Result(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func TestConcurrentSaves(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	answers, ev := evaluation(t, rules.Answers{"javascript": rules.One("strong")})
	const n = 50
	ids := make(chan string, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			res, err := st.SaveResult(ctx, "", answers, ev)
			if err != nil {
				t.Error(err)
				return
			}
			if _, err := st.Result(ctx, res.ID); err != nil {
				t.Error(err)
			}
			ids <- res.ID
		})
	}
	wg.Wait()
	close(ids)
	seen := map[string]bool{}
	for id := range ids {
		if seen[id] {
			t.Errorf("duplicate id %s", id)
		}
		seen[id] = true
	}
	if len(seen) != n {
		t.Errorf("stored %d results, want %d", len(seen), n)
	}
}

func TestSessionKeysAreKept(t *testing.T) {
	st, path := openTemp(t)
	ctx := context.Background()
	hash, block, err := st.SessionKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hash) != 64 || len(block) != 32 {
		t.Fatalf("key sizes %d/%d, want 64/32", len(hash), len(block))
	}
	st.Close()
	st2, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	hash2, block2, err := st2.SessionKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(hash) != string(hash2) || string(block) != string(block2) {
		t.Error("session keys changed after reopening the database")
	}
}

func TestOpenBadPath(t *testing.T) {
	if _, err := Open(context.Background(), filepath.Join(t.TempDir(), "missing-dir", "x.db")); err == nil {
		t.Error("Open in a missing directory succeeded")
	}
}
