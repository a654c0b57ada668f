package handlers

import (
	"bytes"
	"io"
	"net/http"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/labstack/echo/v4"
)

// DefaultResultPages is how many rendered result pages are kept: about
// 23 KB each, 1,000 of them hold some 23 MB.
const DefaultResultPages = 1000

// resultPages keeps rendered result pages. A stored result never changes, so
// its page depends only on the ruleset that reads it today (the drift notice),
// the address its share link names and whether this browser made it; the
// CSRF token, the one part that differs per request, is left as a slot and
// filled in when the page is sent. Pages leave the cache least recently
// used first (hashicorp/golang-lru: a bounded, locked LRU, the one most Go
// servers use).
type resultPages struct {
	pages *lru.Cache[resultPageKey, [][]byte] // nil: every page is rendered
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
	pages, err := lru.New[resultPageKey, [][]byte](size)
	return resultPages{pages: pages}, err
}

// send writes a kept page with token in its slots; false if there is none.
func (r resultPages) send(c echo.Context, key resultPageKey, token string) (bool, error) {
	if r.pages == nil || token == "" {
		return false, nil
	}
	parts, ok := r.pages.Get(key)
	if !ok {
		return false, nil
	}
	// Written part by part, not joined: net/http buffers the writes, and
	// a joined copy of the page per request was a sixth of its cost.
	res := c.Response()
	res.Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	res.WriteHeader(http.StatusOK)
	for i, part := range parts {
		if i > 0 {
			if _, err := io.WriteString(res, token); err != nil {
				return true, err
			}
		}
		if _, err := res.Write(part); err != nil {
			return true, err
		}
	}
	return true, nil
}

// keep stores a page rendered with csrfSlot as its token.
func (r resultPages) keep(key resultPageKey, page []byte) {
	if r.pages != nil {
		r.pages.Add(key, bytes.Split(page, []byte(csrfSlot)))
	}
}
