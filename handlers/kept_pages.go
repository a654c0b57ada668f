package handlers

import (
	"bytes"
	"strconv"
	"sync"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/klauspost/compress/s2"
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
// LRU, the one most Go servers use). A cache that compresses keeps its pages
// in S2 (klauspost/compress), which decompresses several times faster than
// deflate.
type keptPages[K comparable] struct {
	pages    *lru.Cache[K, keptPage] // nil: every page is rendered
	compress bool
	name     string           // in the metrics: result, step, home
	metrics  *metrics.Metrics // counts hits and misses; nil counts nothing
}

// keptPage is a page as rendered with csrfSlot as its token, and where in
// it the slots are, so that sending it needs no search.
type keptPage struct {
	html  []byte // S2-compressed when the cache compresses
	slots []int  // offsets of csrfSlot in the page as rendered
}

// csrfSlot stands for the CSRF token in a kept page. html/template writes
// it as it is (letters, digits and dashes), as it writes the tokens.
const csrfSlot = "csrf-slot-5b1e0c7d9a"

func newKeptPages[K comparable](name string, size int, compress bool, m *metrics.Metrics) (keptPages[K], error) {
	if size <= 0 {
		return keptPages[K]{}, nil
	}
	pages, err := lru.New[K, keptPage](size)
	return keptPages[K]{pages: pages, compress: compress, name: name, metrics: m}, err
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
	if !k.compress {
		return true, sendPage(c, status, kept.html, kept.slots, token)
	}
	bufp := pageBufs.Get().(*[]byte)
	defer pageBufs.Put(bufp)
	page, err := s2.Decode((*bufp)[:cap(*bufp)], kept.html)
	if err != nil {
		return true, err
	}
	*bufp = page
	return true, sendPage(c, status, page, kept.slots, token)
}

// keep stores a page rendered with csrfSlot as its token, unless the cache
// is off or the page has no slot (it would then not be the page a browser
// with a token needs).
func (k keptPages[K]) keep(key K, page []byte) {
	if k.pages == nil {
		return
	}
	kept := keptPage{html: bytes.Clone(page), slots: slotsOf(page)}
	if k.compress {
		// A copy of exactly its size: Encode allocates for the worst case.
		kept.html = bytes.Clone(s2.Encode(nil, page))
	}
	k.pages.Add(key, kept)
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
