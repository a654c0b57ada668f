package store

import (
	"errors"
	"fmt"

	"github.com/gofrs/flock"
)

// ErrInUse is why restore refuses a database a server or a backup is using,
// and why those refuse to start while a restore is under way.
var ErrInUse = errors.New("database in use")

// lockPath is the advisory lock beside database path. SQLite's own locks
// cannot tell whether a server is running (it holds no SQLite lock between
// transactions), so every process that opens the database holds this one:
// the server and stackfit backup share it, stackfit restore takes it alone.
// It is a file of its own, never removed: removing a lock file while
// another process waits on it would let two processes hold "the" lock.
//
// flock(2) (gofrs/flock, LockFileEx on Windows) rather than fcntl locks:
// a flock is released when its process dies however it dies, and it does
// not mix with the fcntl locks SQLite takes on the database itself.
func lockPath(path string) string { return path + ".lock" }

// lockShared takes the lock beside path as a server or a backup does,
// without waiting.
func lockShared(path string) (*flock.Flock, error) {
	lock := flock.New(lockPath(path))
	ok, err := lock.TryRLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("database %s is being restored (stackfit restore holds %s): try again when it has finished: %w",
			path, lock.Path(), ErrInUse)
	}
	return lock, nil
}

// lockAlone takes the lock beside path as restore does: only when no other
// process holds it.
func lockAlone(path string) (*flock.Flock, error) {
	lock := flock.New(lockPath(path))
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", lock.Path(), err)
	}
	if !ok {
		return nil, fmt.Errorf("database %s is in use: a stackfit server (or a backup) holds %s; stop the server first: %w",
			path, lock.Path(), ErrInUse)
	}
	return lock, nil
}
