package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"stackfit/rules"
)

// BenchmarkBackup backs up a database of 20,000 results (about the size
// of a year of a busy team's use), with the server's store open beside it,
// and reports the copy's size. Each iteration also pays for the checks
// (integrity_check, foreign_key_check, counts) and the fsync.
//
//	go test ./store -run '^$' -bench Backup -benchtime 5x
func BenchmarkBackup(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "stackfit.db")
	st, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	rs, err := rules.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	answers, err := rs.Check(rules.Answers{"python": rules.One("strong"), "deadline": rules.One("soon")})
	if err != nil {
		b.Fatal(err)
	}
	ev, err := rs.Evaluate(answers)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := st.write.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for range 20000 {
		if _, err := insertResult(ctx, tx, "", answers, ev); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	var size int64
	b.ResetTimer()
	for i := range b.N {
		c, err := Backup(ctx, path, filepath.Join(dir, fmt.Sprintf("backup-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		size = c.Bytes
	}
	b.StopTimer()
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(size)/1e6, "backup-MB")
	b.ReportMetric(float64(fi.Size())/1e6, "db-MB")
}
