package storetest

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"stackfit"
	"stackfit/rules"
)

func testSaveAndReadResult(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	answers, ev := Evaluation(t, rules.Answers{"python": rules.One("strong"), "deadline": rules.One("soon")})
	saved, err := st.SaveResult(ctx, "Booking platform v2", answers, ev)
	if err != nil {
		t.Fatal(err)
	}
	if len(saved.ID) != 22 || strings.ContainsAny(saved.ID, "+/=") {
		t.Errorf("id %q is not 22 URL-safe characters", saved.ID)
	}

	// Reopen: the row must survive the process closing the database.
	st.Close()
	st2 := db.Open(t, nil)
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

func testResultNotFound(t *testing.T, db Database) {
	st := db.Open(t, nil)
	for _, id := range []string{"", "nope", strings.Repeat("A", 22), "'; DROP TABLE results; --", strings.Repeat("é", 11)} {
		if _, err := st.Result(context.Background(), id); !errors.Is(err, stackfit.ErrNotFound) {
			t.Errorf("Result(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func testConcurrentSaves(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	answers, ev := Evaluation(t, rules.Answers{"javascript": rules.One("strong")})
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

func testSessionKeysAreKept(t *testing.T, db Database) {
	st := db.Open(t, nil)
	ctx := context.Background()
	hash, block, err := st.SessionKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(hash) != 64 || len(block) != 32 {
		t.Fatalf("key sizes %d/%d, want 64/32", len(hash), len(block))
	}
	st.Close()
	hash2, block2, err := db.Open(t, nil).SessionKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if string(hash) != string(hash2) || string(block) != string(block2) {
		t.Error("session keys changed after reopening the database")
	}
}

// Servers starting at once on one database make their keys at once: they
// must still agree on one pair, or a cookie sealed by one is refused by another.
func testSessionKeysAgree(t *testing.T, db Database) {
	ctx := context.Background()
	const instances = 4
	stores := make([]Store, instances)
	for i := range stores {
		stores[i] = db.Open(t, nil)
	}
	keys := make([]string, instances)
	var wg sync.WaitGroup
	for i, st := range stores {
		wg.Go(func() {
			hash, block, err := st.SessionKeys(ctx)
			if err != nil {
				t.Error(err)
			}
			keys[i] = string(hash) + string(block)
		})
	}
	wg.Wait()
	for i := range keys {
		if keys[i] != keys[0] {
			t.Errorf("instance %d has other session keys than instance 0", i)
		}
	}
}
