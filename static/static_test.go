package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"stackfit/static/internal/assetfile"
)

func mustLoad(tb testing.TB) *Assets {
	tb.Helper()
	a, err := Load()
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func TestServeEncodings(t *testing.T) {
	a := mustLoad(t)
	raw, err := files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		acceptEncoding string
		want           string // Content-Encoding
	}{
		{"", ""},
		{"gzip", "gzip"},
		{"gzip, deflate, br, zstd", "br"}, // what Chromium sends
		{"br", "br"},
		{"BR;q=1.0", "br"},
		{"br;q=0, gzip", "gzip"},
		{"br;q=0, gzip;q=0", ""},
		{"deflate, identity", ""},
	}
	for _, tt := range tests {
		t.Run(tt.acceptEncoding, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, a.URL("css/app.css"), nil)
			if tt.acceptEncoding != "" {
				req.Header.Set("Accept-Encoding", tt.acceptEncoding)
			}
			rec := httptest.NewRecorder()
			a.ServeHTTP(rec, req)
			h := rec.Header()
			if rec.Code != http.StatusOK || h.Get("Content-Encoding") != tt.want {
				t.Fatalf("status %d, Content-Encoding %q, want 200 and %q", rec.Code, h.Get("Content-Encoding"), tt.want)
			}
			if h.Get("Vary") != "Accept-Encoding" || h.Get("Cache-Control") != "public, max-age=31536000, immutable" ||
				h.Get("Content-Type") != "text/css; charset=utf-8" {
				t.Errorf("headers: %v", h)
			}
			if got := decode(t, tt.want, rec.Body.Bytes()); !bytes.Equal(got, raw) {
				t.Errorf("the body does not decode to the file (%d bytes, want %d)", len(got), len(raw))
			}
		})
	}
}

func decode(t *testing.T, enc string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "br":
		r = brotli.NewReader(r)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCompressedCopiesAreSmaller: a copy that saves nothing is not kept,
// and the file goes as it is.
func TestCompressedCopiesAreSmaller(t *testing.T) {
	a := mustLoad(t)
	for name, as := range a.byName {
		if as.brotlied != nil && len(as.brotlied) >= len(as.body) || as.gzipped != nil && len(as.gzipped) >= len(as.body) {
			t.Errorf("%s: a compressed copy is no smaller", name)
		}
	}
}

// TestBrotliCopies: every asset gzip shrinks goes brotli too (whose framing
// is smaller still), from a generated copy that decodes to the file.
func TestBrotliCopies(t *testing.T) {
	a := mustLoad(t)
	for _, name := range slices.Sorted(maps.Keys(a.byName)) {
		as := a.byName[name]
		t.Run(name, func(t *testing.T) {
			switch {
			case as.brotlied == nil && as.gzipped != nil:
				t.Fatalf("no brotli copy (%s) in the binary: run go generate ./static", assetfile.BrotliPath(as.body))
			case as.brotlied == nil:
				return
			case !assetfile.Compressible(as.mimeType):
				t.Fatalf("a brotli copy of a %s file", as.mimeType)
			}
			if got := decode(t, "br", as.brotlied); !bytes.Equal(got, as.body) {
				t.Errorf("the brotli copy decodes to %d bytes that are not the file's %d: run go generate ./static", len(got), len(as.body))
			}
		})
	}
}

// TestNoOrphanBrotliCopies: every embedded copy is of a current asset, and
// none is served as an asset itself.
func TestNoOrphanBrotliCopies(t *testing.T) {
	a := mustLoad(t)
	current := map[string]bool{}
	for name, as := range a.byName {
		current[assetfile.BrotliPath(as.body)] = true
		if strings.HasPrefix(name, assetfile.BrotliDir+"/") {
			t.Errorf("%s is served as an asset", name)
		}
	}
	copies, err := fs.Glob(brotliCopies, assetfile.BrotliDir+"/*.br")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range copies {
		if !current[name] {
			t.Errorf("static/%s is the copy of no current asset: run go generate ./static", name)
		}
	}
}

func FuzzAccepts(f *testing.F) {
	for _, s := range []string{"", "gzip", "br;q=0, gzip", "gzip, deflate, br, zstd", ";;,,q=0", "br ; q=0.5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, header string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept-Encoding", header)
		for _, enc := range []string{"br", "gzip"} {
			if accepts(r, enc) && !bytes.Contains(bytes.ToLower([]byte(header)), []byte(enc)) {
				t.Errorf("accepts(%q) without %q in the header", enc, enc)
			}
		}
	})
}

// BenchmarkLoad loads every asset, as the server does at start (gzip, and
// the brotli copies made by go generate), and reports their total size raw,
// in gzip and in brotli.
func BenchmarkLoad(b *testing.B) {
	var a *Assets
	for b.Loop() {
		var err error
		if a, err = load(); err != nil { // not Load, which does it once
			b.Fatal(err)
		}
	}
	var raw, gz, br int
	for _, as := range a.byName {
		raw += len(as.body)
		gz += size(as.body, as.gzipped)
		br += size(as.body, as.brotlied)
	}
	b.ReportMetric(float64(raw), "raw-bytes")
	b.ReportMetric(float64(gz), "gzip-bytes")
	b.ReportMetric(float64(br), "brotli-bytes")
}

// size is what goes on the wire for an asset: packed, or body when not kept.
func size(body, packed []byte) int {
	if packed == nil {
		return len(body)
	}
	return len(packed)
}
