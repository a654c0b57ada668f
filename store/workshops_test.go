package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"reflect"
	"stackfit/store/storetest"
	"testing"

	"stackfit"
	"stackfit/rules"
	"stackfit/workshop"
)

func createWorkshop(t *testing.T, st *Store, title string) (stackfit.Workshop, string) {
	t.Helper()
	w, key, err := st.CreateWorkshop(context.Background(), stackfit.NewWorkshop{Title: title})
	if err != nil {
		t.Fatal(err)
	}
	return w, key
}

// count returns the number of rows in table, read past the store's API.
func count(t *testing.T, st *Store, table string) int {
	t.Helper()
	var n int
	if err := st.read.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateWorkshopRetriesTakenCodes(t *testing.T) {
	st, _ := openTemp(t)
	codes := []string{"222222", "222222", "222222", "333333"}
	newCode = func() string {
		c := codes[0]
		if len(codes) > 1 {
			codes = codes[1:]
		}
		return c
	}
	t.Cleanup(func() { newCode = workshop.NewCode })

	if w, _ := createWorkshop(t, st, "first"); w.Code != "222222" {
		t.Errorf("first workshop got %s, want 222222", w.Code)
	}
	if w, _ := createWorkshop(t, st, "second"); w.Code != "333333" {
		t.Errorf("second workshop got %s, want 333333 after two taken codes", w.Code)
	}
	// Only taken codes left: give up rather than loop.
	if _, _, err := st.CreateWorkshop(context.Background(), stackfit.NewWorkshop{Title: "third"}); err == nil {
		t.Error("CreateWorkshop succeeded with every code taken")
	}
	if n := count(t, st, "workshops"); n != 2 {
		t.Errorf("%d workshops stored, want 2", n)
	}
}

// TestMigrateFromResultsOnly opens a database as the release before
// workshops left it: migration 1 applied, a result stored.
func TestMigrateFromResultsOnly(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "stackfit.db")
	old, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	p, err := migrations(old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	// As that release wrote it: no name column yet.
	e, err := json.Marshal(ev)
	if err != nil {
		t.Fatal(err)
	}
	res := stackfit.Result{ID: stackfit.NewID()}
	_, err = old.ExecContext(ctx, `INSERT INTO results (id, created_at, ruleset, answers, evaluation) VALUES (?, ?, ?, ?, ?)`,
		res.ID, now().Format(timeFormat), ev.Ruleset, `{"python":"strong"}`, string(e))
	if err != nil {
		t.Fatal(err)
	}
	old.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var version int
	if err := st.read.QueryRow(`SELECT max(version_id) FROM goose_db_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != 4 {
		t.Errorf("schema version %d, want 4", version)
	}
	if got, err := st.Result(ctx, res.ID); err != nil || got.Name != "" || !reflect.DeepEqual(got.Answers, answers) {
		t.Errorf("the old result: %+v, %v; want it without a name", got, err)
	}
	w, _ := createWorkshop(t, st, "A")
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Ada", answers, ev); err != nil {
		t.Error(err)
	}
}
