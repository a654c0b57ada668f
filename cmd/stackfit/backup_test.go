package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"stackfit/store"
)

// TestBackupCommands drives backup and restore as a person types them:
// JSON on stdout when it worked, one line on stderr and exit 1 when it
// refused, exit 2 for a mistyped command.
func TestBackupCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "stackfit.db")
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	backup := filepath.Join(dir, "backup.db")
	other := filepath.Join(dir, "other.db")
	tests := []struct {
		name      string
		args      []string
		env       map[string]string
		before    func()
		code      int
		stderrHas string
		path      string // the "path" of the JSON on stdout
	}{
		{"backup beside the open database", []string{"backup", backup, "--db", db}, nil, nil, 0, "", backup},
		{"backup onto the same file again", []string{"backup", "--db", db, backup}, nil, nil, 1, "never overwrites", ""},
		{"restore over the database in use", []string{"restore", backup, "--db", db}, nil, nil, 1, "stop the server first", ""},
		{"restore with the database from the environment", []string{"restore", backup}, map[string]string{"STACKFIT_DB": other}, nil, 0, "", other},
		{"restore once the server stopped", []string{"restore", backup, "--db", db}, nil, func() { st.Close() }, 0, "", db},
		{"backup without a file", []string{"backup", "--db", db}, nil, nil, 2, "which file?", ""},
		{"backup to two files", []string{"backup", "a.db", "b.db"}, nil, nil, 2, `unexpected argument "b.db"`, ""},
		{"restore of no file", []string{"restore", filepath.Join(dir, "missing.db"), "--db", db}, nil, nil, 1, "missing.db", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.before != nil {
				tt.before()
			}
			var out, errOut strings.Builder
			code := run(context.Background(), tt.args, strings.NewReader(""), &out, &errOut, func(name string) string { return tt.env[name] })
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errOut.String())
			}
			if !strings.Contains(errOut.String(), tt.stderrHas) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tt.stderrHas)
			}
			if code != 0 {
				if out.Len() > 0 {
					t.Errorf("stdout should be empty on error, got %q", out.String())
				}
				if strings.Count(strings.TrimSpace(errOut.String()), "\n") > 0 {
					t.Errorf("a refusal should be one line on stderr, got:\n%s", errOut.String())
				}
				return
			}
			var c store.Copy
			if err := json.Unmarshal([]byte(out.String()), &c); err != nil {
				t.Fatalf("stdout is not JSON: %v\n%s", err, out.String())
			}
			fi, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if c.Path != tt.path || c.Bytes != fi.Size() || c.Migration == 0 {
				t.Errorf("printed %+v, want path %s of %d bytes and its migration", c, tt.path, fi.Size())
			}
		})
	}
}
