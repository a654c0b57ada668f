package handlers

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/labstack/echo/v4"

	"stackfit/metrics"
)

// DefaultStepPages is how many rendered questionnaire steps are kept: about
// 7 KB each, so some 3.5 MB.
const DefaultStepPages = 500

// keptPages keeps rendered pages that many requests share, each rendered
// once with csrfSlot in place of the CSRF token, the one part that differs
// per response; the token is filled in when a page is sent. Pages leave the
// cache least recently used first (hashicorp/golang-lru: a bounded, locked
// LRU, the one most Go servers use). A cache with shared lines keeps its
// pages as runs of lines held once for all of them (sharedLines), with the
// part of the key a page writes (a result's id) blanked, so that pages of one
// kind, which differ in a few lines, share the rest: a 22 KB result page is
// kept in some 1.5 KB.
type keptPages[K comparable] struct {
	pages   *lru.Cache[K, keptPage] // nil: every page is rendered
	lines   *sharedLines            // nil: pages are kept as they are
	vary    func(K) string          // what of the key a page writes, blanked where kept
	name    string                  // in the metrics: result, step, home
	metrics *metrics.Metrics        // counts hits and misses; nil counts nothing
}

// keptPage is a page as rendered with csrfSlot as its token, and where in
// it the slots are, so that sending it needs no search.
type keptPage struct {
	html   []byte   // the page as it is, when not in shared lines
	runs   keptRuns // the page in shared lines
	slots  []int    // offsets of csrfSlot in the page as rendered
	varied []int    // offsets of the key's blanked part
}

// csrfSlot stands for the CSRF token in a kept page. html/template writes
// it as it is (letters, digits and dashes), as it writes the tokens. It is
// as long as a masked token, so that a page put together in its buffer
// takes the token in place, with no second copy of the whole page.
var csrfSlot = "csrf-slot-" + strings.Repeat("0", maskedTokenLength-len("csrf-slot-"))

// newKeptPages keeps up to size pages, as they are or, with vary, in shared
// lines of at most sharedBytes bytes, with what vary returns of a page's key
// blanked in them.
func newKeptPages[K comparable](name string, size int, vary func(K) string, sharedBytes int, m *metrics.Metrics) (keptPages[K], error) {
	if size <= 0 {
		return keptPages[K]{}, nil
	}
	pages, err := lru.New[K, keptPage](size)
	k := keptPages[K]{pages: pages, vary: vary, name: name, metrics: m}
	if vary != nil {
		k.lines = newSharedLines(sharedBytes)
	}
	return k, err
}

// send writes the kept page with token in its slots; false if there is none.
func (k keptPages[K]) send(c echo.Context, key K, status int, token string) (bool, error) {
	if k.pages == nil || token == "" {
		return false, nil
	}
	kept, ok := k.pages.Get(key)
	if !ok {
		return false, nil
	}
	if k.lines == nil {
		return true, sendPage(c, status, kept.html, kept.slots, token)
	}
	bufp := pageBufs.Get().(*[]byte)
	defer pageBufs.Put(bufp)
	page := k.lines.appendTo(slices.Grow((*bufp)[:0], kept.runs.size), kept.runs)
	*bufp = page
	v := k.vary(key)
	for _, at := range kept.varied {
		copy(page[at:], v)
	}
	if len(token) != len(csrfSlot) { // a token from a cookie of another length
		return true, sendPage(c, status, page, kept.slots, token)
	}
	for _, slot := range kept.slots {
		copy(page[slot:], token)
	}
	return true, sendPage(c, status, page, nil, "")
}

// keep stores a page rendered with csrfSlot as its token, unless the cache
// is off or the page has no slot (it would then not be the page a browser
// with a token needs).
func (k keptPages[K]) keep(key K, page []byte) {
	if k.pages == nil {
		return
	}
	if k.lines == nil {
		k.pages.Add(key, keptPage{html: bytes.Clone(page), slots: slotsOf(page)})
		return
	}
	kept := keptPage{slots: slotsOf(page)}
	if v := []byte(k.vary(key)); len(v) > 0 {
		page = bytes.Clone(page)
		blank := make([]byte, len(v)) // NUL bytes, which no page has
		for at := 0; ; {
			i := bytes.Index(page[at:], v)
			if i < 0 {
				break
			}
			kept.varied = append(kept.varied, at+i)
			copy(page[at+i:], blank)
			at += i + len(v)
		}
	}
	var ok bool
	if kept.runs, ok = k.lines.keep(page); ok {
		k.pages.Add(key, kept)
	}
}

// serve sends the kept page for key, or renders it with render (which gets
// the token to put in the page: csrfSlot when the page is to be kept),
// keeps it and sends it.
func (k keptPages[K]) serve(c echo.Context, key K, status int, render func(token string) ([]byte, error)) error {
	token := csrfToken(c)
	sent, err := k.send(c, key, status, token)
	if k.pages != nil && token != "" {
		k.metrics.KeptPage(k.name, sent)
	}
	if sent {
		return err
	}
	if k.pages == nil || token == "" {
		page, err := render(token)
		if err != nil {
			return err
		}
		return sendPage(c, status, page, nil, "")
	}
	page, err := render(csrfSlot)
	if err != nil {
		return err
	}
	k.keep(key, page)
	return sendPage(c, status, page, slotsOf(page), token)
}

func slotsOf(page []byte) []int {
	var slots []int
	for at := 0; ; {
		i := bytes.Index(page[at:], []byte(csrfSlot))
		if i < 0 {
			return slots
		}
		slots = append(slots, at+i)
		at += i + len(csrfSlot)
	}
}

var pageBufs = sync.Pool{New: func() any { return new([]byte) }}

// sendPage writes page with token in place of the csrfSlot at each of
// slots, as one write with its length: written in parts, or without a
// length (chunked), a 20 KB page took net/http five or six write calls
// instead of two.
func sendPage(c echo.Context, status int, page []byte, slots []int, token string) error {
	out := page
	if len(slots) > 0 {
		bufp := pageBufs.Get().(*[]byte)
		defer pageBufs.Put(bufp)
		buf, at := (*bufp)[:0], 0
		for _, slot := range slots {
			buf = append(buf, page[at:slot]...)
			buf = append(buf, token...)
			at = slot + len(csrfSlot)
		}
		out = append(buf, page[at:]...)
		*bufp = out
	}
	res := c.Response()
	h := res.Header()
	h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(out)))
	res.WriteHeader(status)
	_, err := res.Write(out)
	return err
}
