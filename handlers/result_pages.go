package handlers

import (
	"bytes"
	"io"
	"net/http"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/klauspost/compress/s2"
	"github.com/labstack/echo/v4"
)

// DefaultResultPages is how many rendered result pages are kept: kept
// compressed, about 5 KB each, 1,000 of them hold some 5 MB.
const DefaultResultPages = 1000

// resultPages keeps rendered result pages. A stored result never changes, so
// its page depends only on the ruleset that reads it today (the drift notice),
// the address its share link names and whether this browser made it; the
// CSRF token, the one part that differs per request, is left as a slot and
// filled in when the page is sent. Pages leave the cache least recently
// used first (hashicorp/golang-lru: a bounded, locked LRU, the one most Go
// servers use). They are kept compressed with S2 (klauspost/compress, already
// a dependency), which decompresses several times faster than deflate: 1,000
// pages of 18-23 KB held as they are, with the collector's headroom, took
// the process past 60 MB.
type resultPages struct {
	pages *lru.Cache[resultPageKey, []byte] // nil: every page is rendered
}

type resultPageKey struct {
	ID, Ruleset, Origin string
	Owner               bool
}

// csrfSlot stands for the CSRF token in a kept page. html/template writes
// it as it is (letters, digits and dashes), as it writes the tokens.
const csrfSlot = "csrf-slot-5b1e0c7d9a"

func newResultPages(size int) (resultPages, error) {
	if size <= 0 {
		return resultPages{}, nil
	}
	pages, err := lru.New[resultPageKey, []byte](size)
	return resultPages{pages: pages}, err
}

var pageBufs = sync.Pool{New: func() any { return new([]byte) }}

// send writes a kept page with token in its slots; false if there is none.
func (r resultPages) send(c echo.Context, key resultPageKey, token string) (bool, error) {
	if r.pages == nil || token == "" {
		return false, nil
	}
	compressed, ok := r.pages.Get(key)
	if !ok {
		return false, nil
	}
	bufp := pageBufs.Get().(*[]byte)
	defer pageBufs.Put(bufp)
	page, err := s2.Decode((*bufp)[:cap(*bufp)], compressed)
	if err != nil {
		return true, err
	}
	*bufp = page
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	res.WriteHeader(http.StatusOK)
	// Written part by part around the slots, not joined into a copy.
	for {
		before, after, found := bytes.Cut(page, []byte(csrfSlot))
		if _, err := res.Write(before); err != nil || !found {
			return true, err
		}
		if _, err := io.WriteString(res, token); err != nil {
			return true, err
		}
		page = after
	}
}

// keep stores a page rendered with csrfSlot as its token.
func (r resultPages) keep(key resultPageKey, page []byte) {
	if r.pages != nil {
		// A copy of exactly its size: Encode allocates for the worst case.
		r.pages.Add(key, bytes.Clone(s2.Encode(nil, page)))
	}
}
