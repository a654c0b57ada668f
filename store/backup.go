package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattn/go-sqlite3"
)

// Why backup and restore refuse.
var (
	ErrExists      = errors.New("file exists")
	ErrNotStackfit = errors.New("not a stackfit database")
	ErrNewerSchema = errors.New("schema newer than this stackfit")
)

// Copy describes a checked copy of a database: what Backup wrote, or what
// Restore put in place. Its JSON is what stackfit backup and restore print.
type Copy struct {
	Path string `json:"path"`
	// From is the backup a restore read.
	From  string `json:"from,omitempty"`
	Bytes int64  `json:"bytes"`
	// Migration is the schema version (the last goose migration applied).
	Migration int64 `json:"migration"`
	Rows      Rows  `json:"rows"`
}

// Rows counts the rows of the main tables.
type Rows struct {
	Results      int64 `json:"results"`
	Workshops    int64 `json:"workshops"`
	Participants int64 `json:"participants"`
}

// Backup writes a consistent copy of the database at path to target, which
// must not exist, and checks the copy. It may run beside a server: VACUUM
// INTO reads in one transaction on a connection of its own, which in WAL
// mode sees the database as of its start and does not hold up the writer.
// The copy is written beside target and linked into place only once checked
// and on disk, so target is either absent or a whole, checked backup.
func Backup(ctx context.Context, path, target string) (Copy, error) {
	if _, err := os.Stat(path); err != nil {
		return Copy{}, fmt.Errorf("no database at %s: %w", path, err)
	}
	if _, err := os.Lstat(target); err == nil {
		return Copy{}, fmt.Errorf("%s already exists: stackfit backup never overwrites a file; give a new name: %w", target, ErrExists)
	}
	// A restore must not swap the database out while it is being read.
	lock, err := lockShared(path)
	if err != nil {
		return Copy{}, err
	}
	defer lock.Unlock()
	// Root backing up a stopped service's database may have just made the
	// lock file: it must stay the service user's, or the server cannot start.
	if err := chownLike(lockPath(path), path); err != nil {
		return Copy{}, err
	}

	tmp, err := tempBeside(target, ".backup-")
	if err != nil {
		return Copy{}, err
	}
	defer os.Remove(tmp)
	if err := vacuumInto(ctx, path, tmp); err != nil {
		return Copy{}, fmt.Errorf("copy %s: %w", path, err)
	}
	c, err := settle(ctx, tmp)
	if err != nil {
		return Copy{}, fmt.Errorf("the copy of %s: %w", path, err)
	}
	// A hard link, unlike a rename, fails when target appeared meanwhile.
	if err := os.Link(tmp, target); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return Copy{}, fmt.Errorf("%s already exists: stackfit backup never overwrites a file; give a new name: %w", target, ErrExists)
		}
		return Copy{}, fmt.Errorf("write %s: %w", target, err)
	}
	if err := syncDir(filepath.Dir(target)); err != nil {
		return Copy{}, err
	}
	c.Path = target
	return c, nil
}

// Restore puts the backup in place of the database at path, after checking
// it: a whole SQLite file, a stackfit database, of a schema this stackfit
// knows (an older one is migrated when the server starts). It refuses while
// a server or a backup holds the database's lock, and holds that lock itself
// throughout, so no server starts on a half-restored database.
//
// The backup is copied beside path, checked and synced, and renamed over
// path: a crash leaves either the old database or the restored one. The old
// database's -wal and -shm files are removed before the rename, since
// SQLite would otherwise replay the old database's log into the restored
// one; without a server (the lock says so) nothing is using them.
func Restore(ctx context.Context, backup, path string) (Copy, error) {
	bfi, err := os.Stat(backup)
	if err != nil {
		return Copy{}, fmt.Errorf("backup %s: %w", backup, err)
	}
	if !bfi.Mode().IsRegular() {
		return Copy{}, fmt.Errorf("backup %s is not a file: %w", backup, ErrNotStackfit)
	}
	if fi, err := os.Stat(path); err == nil && os.SameFile(fi, bfi) {
		return Copy{}, fmt.Errorf("%s is the database itself, not a backup of it", backup)
	}
	if dir := filepath.Dir(path); !exists(dir) {
		return Copy{}, fmt.Errorf("directory %s does not exist: create it, owned by the user stackfit runs as, and restore again", dir)
	}
	lock, err := lockAlone(path)
	if err != nil {
		return Copy{}, err
	}
	defer lock.Unlock()

	tmp, err := tempBeside(path, ".restore-")
	if err != nil {
		return Copy{}, err
	}
	defer os.Remove(tmp)
	// VACUUM INTO rather than a file copy: it reads the backup the way SQLite
	// sees it (its own -wal included, if it has one) and fails on a file that
	// is not a database.
	if err := vacuumInto(ctx, backup, tmp); err != nil {
		if isNotADatabase(err) {
			return Copy{}, fmt.Errorf("backup %s is not a SQLite database (%v): %w", backup, err, ErrNotStackfit)
		}
		return Copy{}, fmt.Errorf("read backup %s: %w", backup, err)
	}
	c, err := settle(ctx, tmp)
	if err != nil {
		return Copy{}, fmt.Errorf("backup %s: %w", backup, err)
	}
	// When root restores for a service user, the database stays the user's.
	owner := filepath.Dir(path)
	if _, err := os.Stat(path); err == nil {
		owner = path
	}
	for _, name := range []string{tmp, lockPath(path)} {
		if err := chownLike(name, owner); err != nil {
			return Copy{}, err
		}
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return Copy{}, fmt.Errorf("remove the old %s%s: %w", path, suffix, err)
		}
	}
	if err := os.Rename(tmp, path); err != nil {
		return Copy{}, fmt.Errorf("put the backup in place: %w", err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return Copy{}, err
	}
	c.Path, c.From = path, backup
	return c, nil
}

// tempBeside makes an empty file in the directory of path (so a rename or a
// link into place stays on one file system), owner-only like the database.
func tempBeside(path, kind string) (string, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+kind+"*")
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

// vacuumInto writes a compact, consistent copy of the database src to dst,
// an empty file. It writes nothing to src, yet opens it for writing where
// it can: when no server has src open, reading a WAL database creates its
// -wal and -shm files, and only a writable connection, the last to close,
// removes them again (left behind by root, they would be root's, and lock
// the service user out).
func vacuumInto(ctx context.Context, src, dst string) error {
	db, err := sql.Open("sqlite3", "file:"+src+"?_busy_timeout=5000")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", dst)
	return err
}

// settle makes the copy at path a single self-contained file (rollback
// journal, not WAL: a backup is copied around without its -wal), checks it,
// counts its rows and syncs it to disk.
func settle(ctx context.Context, path string) (Copy, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=5000")
	if err != nil {
		return Copy{}, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var mode string
	if err := db.QueryRowContext(ctx, "PRAGMA journal_mode = DELETE").Scan(&mode); err != nil {
		if isNotADatabase(err) {
			return Copy{}, fmt.Errorf("not a SQLite database (%v): %w", err, ErrNotStackfit)
		}
		return Copy{}, err
	}
	c, err := inspect(ctx, db)
	if err != nil {
		return Copy{}, err
	}
	if err := db.Close(); err != nil {
		return Copy{}, err
	}
	f, err := os.Open(path)
	if err != nil {
		return Copy{}, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return Copy{}, err
	}
	c.Bytes = fi.Size()
	return c, f.Sync()
}

// inspect checks that db is whole and a stackfit database this build can
// serve, and counts its rows.
func inspect(ctx context.Context, db *sql.DB) (Copy, error) {
	if err := checkPragma(ctx, db, "integrity_check", "ok"); err != nil {
		return Copy{}, err
	}
	tables := map[string]bool{}
	rows, err := db.QueryContext(ctx, "SELECT name FROM sqlite_schema WHERE type = 'table'")
	if err != nil {
		return Copy{}, err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return Copy{}, err
		}
		tables[name] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return Copy{}, err
	}
	if !tables["goose_db_version"] || !tables["results"] {
		return Copy{}, fmt.Errorf("it has no stackfit tables (results, goose_db_version): %w", ErrNotStackfit)
	}
	p, err := migrations(db)
	if err != nil {
		return Copy{}, err
	}
	current, known, err := p.GetVersions(ctx)
	if err != nil {
		return Copy{}, fmt.Errorf("schema version: %w", err)
	}
	if current > known {
		return Copy{}, fmt.Errorf("its schema is at migration %d, and this stackfit knows migrations up to %d: restore it with a newer stackfit: %w",
			current, known, ErrNewerSchema)
	}
	// A row whose parent is missing is a half-written change.
	if err := checkPragma(ctx, db, "foreign_key_check", ""); err != nil {
		return Copy{}, err
	}
	c := Copy{Migration: current}
	for table, n := range map[string]*int64{"results": &c.Rows.Results, "workshops": &c.Rows.Workshops, "participants": &c.Rows.Participants} {
		if !tables[table] {
			continue // an older schema: the server's migrations add it
		}
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(n); err != nil {
			return Copy{}, fmt.Errorf("count %s: %w", table, err)
		}
	}
	return c, nil
}

// checkPragma runs a checking pragma and fails unless its only output is
// want ("ok"), or, with want "", it has none.
func checkPragma(ctx context.Context, db *sql.DB, pragma, want string) error {
	rows, err := db.QueryContext(ctx, "PRAGMA "+pragma)
	if err != nil {
		if isNotADatabase(err) {
			return fmt.Errorf("not a SQLite database (%v): %w", err, ErrNotStackfit)
		}
		return fmt.Errorf("%s: %w", pragma, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	var problems []string
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		line := strings.TrimSpace(fmt.Sprintln(vals...))
		if line != want {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("%s: %w", pragma, err)
	}
	if len(problems) > 0 {
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		return fmt.Errorf("PRAGMA %s: %s", pragma, strings.Join(problems, "; "))
	}
	return nil
}

func isNotADatabase(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrNotADB
}

// syncDir makes a new name in dir durable: the file's own fsync does not
// cover the directory entry.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
