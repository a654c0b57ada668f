package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"stackfit/static/internal/assetfile"
)

// staticDir is the static package, where go generate runs the generator.
const staticDir = "../.."

// TestCopiesAreUpToDate: static/br holds exactly what the generator makes
// now, byte for byte, so a changed file, quality or window is caught.
// andybalholm/brotli is deterministic: the same input and settings give the
// same bytes (a new version of it may not, and then this asks for a run).
func TestCopiesAreUpToDate(t *testing.T) {
	want, err := copies(staticDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatal("no asset to compress: is staticDir the static package?")
	}
	for name, packed := range want {
		got, err := os.ReadFile(filepath.Join(staticDir, name))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			t.Errorf("static/%s is missing: run go generate ./static", name)
		case err != nil:
			t.Fatal(err)
		case !bytes.Equal(got, packed):
			t.Errorf("static/%s is not what the generator makes now: run go generate ./static", name)
		}
	}
	have, err := fs.Glob(os.DirFS(staticDir), assetfile.BrotliDir+"/*.br")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range have {
		if _, ok := want[name]; !ok {
			t.Errorf("static/%s is the copy of no current file: run go generate ./static", name)
		}
	}
}

// TestAssetsFollowEmbed: the generator lists the files static embeds in
// var files, by embed's rules, and not those of other embed lines.
func TestAssetsFollowEmbed(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"static.go": "package static\n\nimport \"embed\"\n\n" +
			"// files are the assets.\n//\n//go:embed css/*.css\n//go:embed img\nvar files embed.FS\n\n" +
			"//go:embed br/*.br\nvar copies embed.FS\n",
		"css/app.css":      "",
		"css/notes.md":     "",
		"css/.draft.css":   "", // a glob names it: embedded
		"img/a.svg":        "",
		"img/_b.svg":       "", // in a directory named: left out
		"img/sub/c.svg":    "",
		"img/.cache/d.svg": "",
		"br/0123456789.br": "",
	}
	for name, content := range files {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := assets(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"css/.draft.css", "css/app.css", "img/a.svg", "img/sub/c.svg"}
	if !slices.Equal(got, want) {
		t.Errorf("assets: %q, want %q", got, want)
	}
}
