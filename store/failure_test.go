package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"stackfit"
	"stackfit/rules"
	"stackfit/store/storetest"
)

func TestWriteDeadline(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stackfit.db")
	st, err := Open(context.Background(), path, WithWriteDeadline(time.Second))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	release := storetest.HoldWriteLock(t, path)

	writes := map[string]func() error{
		"save result": func() error { _, err := st.SaveResult(ctx, "", answers, ev); return err },
		"create workshop": func() error {
			_, _, err := st.CreateWorkshop(ctx, stackfit.NewWorkshop{Title: "Locked"})
			return err
		},
		"health check": func() error { return st.Ping(ctx) },
	}
	for name, write := range writes {
		err := write()
		if got := stackfit.ErrorCode(err); got != stackfit.EUNAVAILABLE {
			t.Errorf("%s with the lock held: code %q (%v), want %q", name, got, err, stackfit.EUNAVAILABLE)
		}
		if stackfit.RetryAfter(err) <= 0 {
			t.Errorf("%s with the lock held: no Retry-After", name)
		}
	}

	// Several writers queued behind the lock all fail, none waits forever.
	errs := make(chan error, 6)
	for range cap(errs) {
		go func() { _, err := st.SaveResult(ctx, "", answers, ev); errs <- err }()
	}
	for range cap(errs) {
		if err := <-errs; stackfit.ErrorCode(err) != stackfit.EUNAVAILABLE {
			t.Errorf("queued write: %v, want %s", err, stackfit.EUNAVAILABLE)
		}
	}

	release()
	for name, write := range writes {
		if err := write(); err != nil {
			t.Errorf("%s after the lock is released: %v", name, err)
		}
	}
}

// A client that goes away is not "unavailable": its cancellation stays as it is.
func TestWriteCanceledByClient(t *testing.T) {
	st, _ := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	_, err := st.SaveResult(ctx, "", answers, ev)
	if !errors.Is(err, context.Canceled) || stackfit.ErrorCode(err) == stackfit.EUNAVAILABLE {
		t.Errorf("canceled write: %v (code %s), want context.Canceled", err, stackfit.ErrorCode(err))
	}
}

// A full database (PRAGMA max_page_count stands in for a full disk) fails
// writes and the health check as unavailable; reads go on.
func TestFullDatabase(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	saved, err := st.SaveResult(ctx, "", answers, ev)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err != nil {
		t.Fatalf("health check with room: %v", err)
	}
	// max_page_count is per connection: the writer has exactly one.
	pages := scan(t, st.write.QueryRowContext(ctx, "PRAGMA page_count"))
	if _, err := st.write.ExecContext(ctx, "PRAGMA max_page_count = "+pages); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.write.Exec("PRAGMA max_page_count = 1073741823") })

	full := false
	for range 200 { // fill whatever room the last pages had
		if _, err = st.SaveResult(ctx, "", answers, ev); err != nil {
			full = true
			break
		}
	}
	if !full {
		t.Fatal("200 results saved past max_page_count")
	}
	if stackfit.ErrorCode(err) != stackfit.EUNAVAILABLE || !strings.Contains(stackfit.ErrorMessage(err), "full") {
		t.Errorf("write to a full database: %v, want %s saying it is full", err, stackfit.EUNAVAILABLE)
	}
	if err := st.Ping(ctx); stackfit.ErrorCode(err) != stackfit.EUNAVAILABLE {
		t.Errorf("health check of a full database: %v, want %s", err, stackfit.EUNAVAILABLE)
	}
	if _, err := st.Result(ctx, saved.ID); err != nil {
		t.Errorf("read from a full database: %v", err)
	}
}

func TestCorruptDatabaseRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stackfit.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	for range 50 {
		if _, err := st.SaveResult(context.Background(), "", answers, ev); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// Overwrite every page but the first (the header and schema) with garbage.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const pageSize = 4096
	if len(data) < 3*pageSize {
		t.Fatalf("database has %d bytes, want a few pages", len(data))
	}
	for i := 2 * pageSize; i < len(data); i++ {
		data[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}

	st, err = Open(context.Background(), path)
	if err == nil {
		st.Close()
		t.Fatal("a corrupt database opened")
	}
	if !strings.Contains(err.Error(), "corrupt") && !strings.Contains(err.Error(), "cannot be read") {
		t.Errorf("error %q does not say the database is damaged", err)
	}
}

func TestFilesOwnerOnly(t *testing.T) {
	st, path := openTemp(t)
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	if _, err := st.SaveResult(context.Background(), "", answers, ev); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s has mode %o, want 600", filepath.Base(name), perm)
		}
	}
}

func TestUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes to any directory")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	_, err := Open(context.Background(), filepath.Join(dir, "stackfit.db"))
	if err == nil || !strings.Contains(err.Error(), "directory "+dir+" is not writable") {
		t.Errorf("open in a read-only directory: %v, want an error saying the directory is not writable", err)
	}
}

func TestBusyTimeouts(t *testing.T) {
	st, _ := openTemp(t)
	ctx := context.Background()
	if got := scan(t, st.write.QueryRowContext(ctx, "PRAGMA busy_timeout")); got != "1000" {
		t.Errorf("writer busy_timeout = %s, want 1000 (inTx tries again until the deadline)", got)
	}
	if got := scan(t, st.read.QueryRowContext(ctx, "PRAGMA busy_timeout")); got != "5000" {
		t.Errorf("reader busy_timeout = %s, want 5000", got)
	}
}
