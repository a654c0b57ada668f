// Command brotligen writes the brotli copies of stackfit's static files to
// static/br, each named by the hash of its content (assetfile.BrotliPath),
// and removes those of files that changed or went. `go generate ./static`
// runs it, so that the server need not link brotli (see brotliCopies in
// static.go).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log"
	"maps"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/andybalholm/brotli"

	"stackfit/static/internal/assetfile"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("brotligen: ")
	// go generate runs it in the static package's directory.
	if err := generate("."); err != nil {
		log.Fatal(err)
	}
}

// generate brings dir/br in line with the assets of the static package in dir.
func generate(dir string) error {
	want, err := copies(dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(dir, assetfile.BrotliDir), 0o755); err != nil {
		return err
	}
	for _, name := range slices.Sorted(maps.Keys(want)) {
		if err := writeChanged(filepath.Join(dir, name), want[name]); err != nil {
			return err
		}
	}
	return removeOrphans(dir, want)
}

// copies is the brotli copy of every compressible asset that brotli
// shrinks, by its path under dir.
func copies(dir string) (map[string][]byte, error) {
	names, err := assets(dir)
	if err != nil {
		return nil, err
	}
	want := map[string][]byte{}
	for _, name := range names {
		if !assetfile.Compressible(assetfile.MimeType(name)) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		if packed := compress(body); len(packed) < len(body) {
			want[assetfile.BrotliPath(body)] = packed
		}
	}
	return want, nil
}

// compress is brotli at its best quality, with a window only as large as
// the file: a larger one gains nothing on it, and the encoder allocates for
// its window (4 MB by default).
func compress(body []byte) []byte {
	var buf bytes.Buffer
	lgwin := min(max(bits.Len(uint(len(body))), 10), 24)
	bw := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: brotli.BestCompression, LGWin: lgwin})
	bw.Write(body)
	bw.Close()
	return buf.Bytes()
}

// assets lists the files the static package serves: those matched by the
// //go:embed line of its var files, read from static.go so the two cannot
// drift apart. It follows embed's rules: a directory is walked, leaving out
// names that begin with "." or "_".
func assets(dir string) ([]string, error) {
	patterns, err := embedPatterns(filepath.Join(dir, "static.go"), "files")
	if err != nil {
		return nil, err
	}
	fsys := os.DirFS(dir)
	var names []string
	for _, pattern := range patterns {
		matches, err := fs.Glob(fsys, pattern)
		if err != nil {
			return nil, err
		}
		for _, match := range matches {
			err := fs.WalkDir(fsys, match, func(p string, d fs.DirEntry, err error) error {
				switch {
				case err != nil:
					return err
				case p != match && excluded(d.Name()) && d.IsDir():
					return fs.SkipDir
				case !d.IsDir() && (p == match || !excluded(d.Name())):
					names = append(names, p)
				}
				return nil
			})
			if err != nil {
				return nil, err
			}
		}
	}
	return names, nil
}

// excluded reports whether embed leaves the name out of a directory it walks.
func excluded(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}

// embedPatterns reads the patterns of the //go:embed lines on the
// declaration of varName in goFile.
func embedPatterns(goFile, varName string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), goFile, nil, parser.ParseComments)
	if err != nil {
		return nil, err
	}
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR || gd.Doc == nil || !declares(gd, varName) {
			continue
		}
		var patterns []string
		for _, c := range gd.Doc.List {
			if rest, ok := strings.CutPrefix(c.Text, "//go:embed "); ok {
				if strings.ContainsAny(rest, "\"`") {
					return nil, fmt.Errorf("%s: quoted //go:embed patterns are not supported", goFile)
				}
				patterns = append(patterns, strings.Fields(rest)...)
			}
		}
		if len(patterns) > 0 {
			return patterns, nil
		}
	}
	return nil, fmt.Errorf("%s: no //go:embed line on var %s", goFile, varName)
}

func declares(gd *ast.GenDecl, name string) bool {
	for _, spec := range gd.Specs {
		for _, id := range spec.(*ast.ValueSpec).Names {
			if id.Name == name {
				return true
			}
		}
	}
	return false
}

// writeChanged writes the file unless it holds that already, so an
// unchanged copy keeps its time and the log shows only what changed.
func writeChanged(name string, data []byte) error {
	old, err := os.ReadFile(name)
	if err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	log.Printf("wrote %s (%d bytes)", name, len(data))
	return os.WriteFile(name, data, 0o644)
}

// removeOrphans removes the copies in dir/br of files that changed or went.
func removeOrphans(dir string, want map[string][]byte) error {
	have, err := fs.Glob(os.DirFS(dir), assetfile.BrotliDir+"/*.br")
	if err != nil {
		return err
	}
	for _, name := range have {
		if _, ok := want[name]; ok {
			continue
		}
		log.Printf("removed %s", name)
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}
