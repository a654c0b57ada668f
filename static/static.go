// Package static serves stackfit's CSS, JavaScript, vendored htmx and images
// from the binary. Each file is served under a path that holds a hash of its
// content, so it can be cached for a year and a new release is never stale,
// and compressed ahead of requests: brotli at build time (go generate, see
// brotliCopies), gzip once at start.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"

	"stackfit/static/internal/assetfile"
)

//go:embed css/*.css js/*.js vendor/*.js img/*
var files embed.FS

// brotliCopies are the assets' brotli copies at its best quality, named by
// the hash of their content (assetfile.BrotliPath). They are made at build
// time: the encoder added 0.84 MB to the binary, resident in every instance,
// and 20 MB of heap and a quarter second of CPU to every start.
//
//go:generate go run ./internal/brotligen
//go:embed br/*.br
var brotliCopies embed.FS

// Prefix is where assets are served.
const Prefix = "/static/"

type asset struct {
	name     string
	hash     string
	body     []byte
	gzipped  []byte // nil when compression does not pay
	brotlied []byte // brotli, which every current browser takes over https; nil when no copy was generated
	mimeType string
}

// Assets is the set of embedded files, indexed by name ("css/app.css") and by URL path.
type Assets struct {
	byName map[string]*asset
	byPath map[string]*asset
}

// Load reads, hashes and gzips every embedded file, once per process: the
// files are part of the binary, so every call would make the same.
func Load() (*Assets, error) { return loadOnce() }

var loadOnce = sync.OnceValues(load)

func load() (*Assets, error) {
	a := &Assets{byName: map[string]*asset{}, byPath: map[string]*asset{}}
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		as := &asset{name: p, hash: hex.EncodeToString(sum[:])[:10], body: body, mimeType: assetfile.MimeType(p)}
		if assetfile.Compressible(as.mimeType) {
			as.gzipped = smaller(body, gzipped(body))
			as.brotlied = brotliCopy(body)
		}
		a.byName[p] = as
		a.byPath[as.hash+"/"+p] = as
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

// URL is the cache-busting address of an asset, e.g. "/static/3fa2b1c9d0/css/app.css".
// It panics on an unknown name: templates are checked at start, so this is a programming error.
func (a *Assets) URL(name string) string {
	as, ok := a.byName[name]
	if !ok {
		panic("static: no asset " + name)
	}
	return Prefix + as.hash + "/" + name
}

// ServeHTTP serves an asset by its hashed path (the part after Prefix).
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	as, ok := a.byPath[strings.TrimPrefix(r.URL.Path, Prefix)]
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", as.mimeType)
	// The path changes whenever the content does, so the content never does.
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := as.body
	switch {
	case as.brotlied != nil && accepts(r, "br"):
		h.Set("Content-Encoding", "br")
		body = as.brotlied
	case as.gzipped != nil && accepts(r, "gzip"):
		h.Set("Content-Encoding", "gzip")
		body = as.gzipped
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// accepts reports whether the request's Accept-Encoding takes enc.
func accepts(r *http.Request, enc string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) && strings.TrimSpace(q) != "q=0" {
			return true
		}
	}
	return false
}

// smaller is packed, unless it saves nothing over body (then nil).
func smaller(body, packed []byte) []byte {
	if len(packed) >= len(body) {
		return nil
	}
	return packed
}

func gzipped(body []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(body)
	zw.Close()
	return buf.Bytes()
}

// brotliCopy is the generated copy of body, or nil when there is none:
// brotli did not shrink it, or the file changed since go generate ran, and
// then it goes gzip rather than stale.
func brotliCopy(body []byte) []byte {
	packed, err := brotliCopies.ReadFile(assetfile.BrotliPath(body))
	if err != nil {
		return nil
	}
	return packed
}
