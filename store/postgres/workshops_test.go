package postgres

import (
	"context"
	"testing"

	"stackfit"
	"stackfit/workshop"
)

// A taken join code is tried again with a new one, a few times, then given up.
func TestCreateWorkshopRetriesTakenCodes(t *testing.T) {
	db := newDatabase(t)
	st := db.Open(t, nil)
	ctx := context.Background()
	codes := []string{"222222", "222222", "222222", "333333"}
	newCode = func() string {
		c := codes[0]
		if len(codes) > 1 {
			codes = codes[1:]
		}
		return c
	}
	t.Cleanup(func() { newCode = workshop.NewCode })

	for _, want := range []string{"222222", "333333"} {
		w, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: want})
		if err != nil || w.Code != want {
			t.Errorf("got %s, %v; want %s", w.Code, err, want)
		}
	}
	// Only taken codes left: give up rather than loop.
	if _, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "third"}); err == nil {
		t.Error("CreateWorkshop succeeded with every code taken")
	}
	var n int
	if err := db.QueryRow(t, `SELECT count(*) FROM workshops`).Scan(&n); err != nil || n != 2 {
		t.Errorf("%d workshops stored (%v), want 2", n, err)
	}
}
