package store

import (
	"context"
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"stackfit/store/storetest"
	"strings"
	"syscall"
	"testing"

	"stackfit/rules"
)

// filled is a database with a result and a workshop with one submission,
// left open as a running server leaves it.
func filled(t *testing.T) (*Store, string, Rows) {
	t.Helper()
	st, path := openTemp(t)
	ctx := context.Background()
	answers, ev := storetest.Evaluation(t, rules.Answers{"python": rules.One("strong")})
	if _, err := st.SaveResult(ctx, "", answers, ev); err != nil {
		t.Fatal(err)
	}
	w, _ := createWorkshop(t, st, "Kick-off")
	if _, err := st.JoinAndSubmit(ctx, w.Code, "Ada", answers, ev); err != nil {
		t.Fatal(err)
	}
	// The submission is a results row too.
	return st, path, Rows{Results: 2, Workshops: 1, Participants: 1}
}

func TestBackupAndRestore(t *testing.T) {
	ctx := context.Background()
	st, path, want := filled(t)
	target := filepath.Join(t.TempDir(), "backup.db")

	c, err := Backup(ctx, path, target)
	if err != nil {
		t.Fatalf("backup beside an open store: %v", err)
	}
	fi, err := os.Stat(target)
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if latest := int64(len(files)); c.Path != target || c.Bytes != fi.Size() || c.Rows != want || c.Migration != latest {
		t.Errorf("backup says %+v; want path %s, %d bytes, rows %+v, migration %d", c, target, fi.Size(), want, latest)
	}
	// A backup is one file: nothing beside it, no temporary left behind.
	assertFiles(t, filepath.Dir(target), "backup.db")

	// Restore into a fresh place, then open it as the server would.
	fresh := filepath.Join(t.TempDir(), "restored.db")
	r, err := Restore(ctx, target, fresh)
	if err != nil {
		t.Fatal(err)
	}
	if r.Path != fresh || r.From != target || r.Rows != want {
		t.Errorf("restore says %+v", r)
	}
	restored, err := Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var got Rows
	for table, n := range map[string]*int64{"results": &got.Results, "workshops": &got.Workshops, "participants": &got.Participants} {
		if err := restored.read.QueryRow("SELECT count(*) FROM " + table).Scan(n); err != nil {
			t.Fatal(err)
		}
	}
	if got != want {
		t.Errorf("restored database has %+v, want %+v", got, want)
	}
	if err := st.Ping(ctx); err != nil {
		t.Errorf("the source after the backup: %v", err)
	}
}

// A restore over a database whose server died leaves no trace of the old
// database's log: SQLite would replay it into the restored file.
func TestRestoreRemovesStaleLog(t *testing.T) {
	ctx := context.Background()
	_, path, _ := filled(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Backup(ctx, path, backup); err != nil {
		t.Fatal(err)
	}

	// The old database, as a SIGKILL leaves it: its last commits only in
	// its -wal, which holds pages of a bigger database than the backup.
	dir := t.TempDir()
	old := filepath.Join(dir, "stackfit.db")
	db, err := sql.Open("sqlite3", dsn(old, false)+"&_wal_autocheckpoint=0")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	if err := migrate(ctx, db); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		if _, err := db.Exec(`INSERT INTO results (id, created_at, ruleset, answers, evaluation) VALUES (?, '', '', '{}', '{}')`,
			strings.Repeat("x", 500)+string(rune('a'+i%26))+strings.Repeat("y", i)); err != nil {
			t.Fatal(err)
		}
	}
	crashed := filepath.Join(t.TempDir(), "crashed.db")
	for _, suffix := range []string{"", "-wal", "-shm"} {
		copyFile(t, old+suffix, crashed+suffix)
	}
	if fi, err := os.Stat(crashed + "-wal"); err != nil || fi.Size() == 0 {
		t.Fatalf("the crashed database has no log to go stale: %v", err)
	}

	c, err := Restore(ctx, backup, crashed)
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if _, err := os.Stat(crashed + suffix); err == nil {
			t.Errorf("%s%s is still there after the restore", crashed, suffix)
		}
	}
	st, err := Open(ctx, crashed)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var n int64
	if err := st.read.QueryRow("SELECT count(*) FROM results").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != c.Rows.Results {
		t.Errorf("restored database has %d results, the backup %d", n, c.Rows.Results)
	}
}

func TestBackupRestoreRefusals(t *testing.T) {
	ctx := context.Background()
	_, source, _ := filled(t)
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := Backup(ctx, source, good); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// prepare returns the backup to restore (or write) and the database.
		prepare func(t *testing.T, dir string) (backup, db string)
		restore bool // else backup
		want    error
		says    string
	}{
		{
			name: "backup onto an existing file",
			prepare: func(t *testing.T, dir string) (string, string) {
				target := filepath.Join(dir, "exists.db")
				os.WriteFile(target, []byte("keep me"), 0o600)
				return target, source
			},
			want: ErrExists, says: "never overwrites",
		},
		{
			name: "backup of no database",
			prepare: func(t *testing.T, dir string) (string, string) {
				return filepath.Join(dir, "b.db"), filepath.Join(dir, "missing.db")
			},
			says: "no database at",
		},
		{
			name:    "restore over a database in use",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				_, db := openTemp(t)
				return good, db
			},
			want: ErrInUse, says: "stop the server first",
		},
		{
			name:    "restore of a file that is not a database",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				notes := filepath.Join(dir, "notes.txt")
				os.WriteFile(notes, []byte(strings.Repeat("not SQLite\n", 200)), 0o600)
				return notes, filepath.Join(dir, "stackfit.db")
			},
			want: ErrNotStackfit, says: "is not a SQLite database",
		},
		{
			name:    "restore of another application's database",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				other := filepath.Join(dir, "other.db")
				execSQL(t, other, "CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
				return other, filepath.Join(dir, "stackfit.db")
			},
			want: ErrNotStackfit, says: "no stackfit tables",
		},
		{
			name:    "restore of a backup from a newer stackfit",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				newer := filepath.Join(dir, "newer.db")
				copyFile(t, good, newer)
				execSQL(t, newer, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99, 1)")
				return newer, filepath.Join(dir, "stackfit.db")
			},
			want: ErrNewerSchema, says: "migration 99",
		},
		{
			name:    "restore into a directory that is not there",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				return good, filepath.Join(dir, "missing", "stackfit.db")
			},
			says: "missing does not exist: create it",
		},
		{
			name:    "restore of the database onto itself",
			restore: true,
			prepare: func(t *testing.T, dir string) (string, string) {
				db := filepath.Join(dir, "stackfit.db")
				copyFile(t, good, db)
				return db, db
			},
			says: "is the database itself",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file, db := tt.prepare(t, dir)
			before := snapshot(t, dir)
			var err error
			if tt.restore {
				_, err = Restore(ctx, file, db)
			} else {
				_, err = Backup(ctx, db, file)
			}
			if err == nil {
				t.Fatal("no refusal")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %q is not %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.says) {
				t.Errorf("error %q does not say %q", err, tt.says)
			}
			// Refused means untouched: no file changed, none left behind
			// (the lock file aside, which stays).
			after := snapshot(t, dir)
			delete(after, filepath.Base(db)+".lock")
			delete(before, filepath.Base(db)+".lock")
			if len(after) != len(before) {
				t.Errorf("files before %v, after %v", keys(before), keys(after))
			}
			for name, data := range before {
				if after[name] != data {
					t.Errorf("%s changed", name)
				}
			}
		})
	}
}

// A server does not start on a database while it is being restored.
func TestOpenDuringRestore(t *testing.T) {
	path := filepath.Join(t.TempDir(), "stackfit.db")
	lock, err := lockAlone(path)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	st, err := Open(context.Background(), path)
	if err == nil {
		st.Close()
		t.Fatal("opened a database being restored")
	}
	if !errors.Is(err, ErrInUse) || !strings.Contains(err.Error(), "being restored") {
		t.Errorf("error %q does not say a restore holds the database", err)
	}
}

func assertFiles(t *testing.T, dir string, want ...string) {
	t.Helper()
	got := keys(snapshot(t, dir))
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s holds %v, want %v", dir, got, want)
	}
}

// snapshot is every file in dir and its content.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(data)
	}
	return files
}

func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

func execSQL(t *testing.T, path, query string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query); err != nil {
		t.Fatal(err)
	}
}

// A backup of a stopped server's database leaves nothing beside it: a -shm
// made by root's backup would lock the service user out of its database.
func TestBackupLeavesSourceAlone(t *testing.T) {
	st, path, want := filled(t)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	before := snapshot(t, dir)
	c, err := Backup(context.Background(), path, filepath.Join(t.TempDir(), "backup.db"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Rows != want {
		t.Errorf("backup has %+v, want %+v", c.Rows, want)
	}
	after := snapshot(t, dir)
	if !maps.Equal(before, after) {
		t.Errorf("the database's directory held %v before the backup, %v after", keys(before), keys(after))
	}
}

// Root backs up and restores a service user's database: every file beside
// it stays the service user's, or the server could not open it.
func TestRootKeepsTheServiceUsersFiles(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("only root can act for another user")
	}
	const nobody = 65534
	ctx := context.Background()
	st, path, _ := filled(t)
	st.Close()
	dir := filepath.Dir(path)
	os.Remove(lockPath(path)) // as before this version, which made none
	for _, name := range []string{dir, path} {
		if err := os.Chown(name, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	if _, err := Backup(ctx, path, backup); err != nil {
		t.Fatal(err)
	}
	assertOwner(t, dir, nobody, "after the backup")
	if _, err := Restore(ctx, backup, path); err != nil {
		t.Fatal(err)
	}
	assertOwner(t, dir, nobody, "after the restore")
}

func assertOwner(t *testing.T, dir string, owner uint32, when string) {
	t.Helper()
	for name := range snapshot(t, dir) {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if uid := fi.Sys().(*syscall.Stat_t).Uid; uid != owner {
			t.Errorf("%s: %s belongs to uid %d, not the service user %d", when, name, uid, owner)
		}
	}
}
