package main

import (
	"context"
	"fmt"
	"io"

	"stackfit/store"
	"stackfit/store/postgres"
)

// copyDatabase runs stackfit backup FILE (the database db to FILE) or
// stackfit restore FILE (FILE to db), and prints the checked copy as JSON.
func copyDatabase(ctx context.Context, cmd, file, db string, stdout, stderr io.Writer) int {
	if file == "" {
		fmt.Fprintf(stderr, "stackfit %s: which file? stackfit %s FILE [--db %s]\n", cmd, cmd, db)
		return exitUsage
	}
	if postgres.IsURL(db) {
		fmt.Fprintf(stderr, "stackfit %s: --db is a PostgreSQL URL: backup and restore copy a SQLite file; back PostgreSQL up with its own tools (pg_dump, pg_restore)\n", cmd)
		return exitUsage
	}
	var c store.Copy
	var err error
	if cmd == "backup" {
		c, err = store.Backup(ctx, db, file)
	} else {
		c, err = store.Restore(ctx, file, db)
	}
	if err != nil {
		fmt.Fprintf(stderr, "stackfit %s: %v\n", cmd, err)
		return exitBadInput
	}
	return printJSON(stdout, stderr, c)
}
