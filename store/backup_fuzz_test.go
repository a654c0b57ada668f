package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRestore: whatever file is given as a backup, restore either refuses
// it, leaving the database as it was, or puts in place a database the
// server opens. A backup is outside input: it may have been copied,
// truncated or tampered with on its way.
func FuzzRestore(f *testing.F) {
	ctx := context.Background()
	dir := f.TempDir()
	st, err := Open(ctx, filepath.Join(dir, "source.db"))
	if err != nil {
		f.Fatal(err)
	}
	st.Close()
	if _, err := Backup(ctx, filepath.Join(dir, "source.db"), filepath.Join(dir, "good.db")); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(filepath.Join(dir, "good.db"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(good[:100])
	f.Add([]byte("SQLite format 3\x00"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		backup, db := filepath.Join(dir, "backup.db"), filepath.Join(dir, "stackfit.db")
		if err := os.WriteFile(backup, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(db, good, 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Restore(ctx, backup, db)
		if err != nil {
			if errors.Is(err, ErrInUse) {
				t.Fatalf("nothing holds the database, yet: %v", err)
			}
			if kept, rerr := os.ReadFile(db); rerr != nil || string(kept) != string(good) {
				t.Fatalf("a refused restore (%v) changed the database", err)
			}
		} else {
			st, err := Open(ctx, db)
			if err != nil {
				t.Fatalf("restored, yet the server cannot open it: %v", err)
			}
			st.Close()
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			switch e.Name() {
			case "backup.db", "stackfit.db", "stackfit.db.lock", "backup.db-wal", "backup.db-shm", "backup.db-journal":
			default:
				t.Errorf("restore left %s behind", e.Name())
			}
		}
	})
}
