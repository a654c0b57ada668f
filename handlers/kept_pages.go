package handlers

import (
	"bytes"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
// deflate, against a dictionary: the first page it kept. Pages of one kind
// share most of their markup (the layout, the questions, the reasons), so a
// 25 KB result page compressed against another is some 2.7 KB instead of
// 8 KB, and decompresses faster, mostly long copies out of the dictionary.
type keptPages[K comparable] struct {
	pages    *lru.Cache[K, keptPage] // nil: every page is rendered
	compress bool
	dict     *atomic.Pointer[s2.Dict] // set once, by the first page kept
	name     string                   // in the metrics: result, step, home
	metrics  *metrics.Metrics         // counts hits and misses; nil counts nothing
}

// keptPage is a page as rendered with csrfSlot as its token, and where in
// it the slots are, so that sending it needs no search.
type keptPage struct {
	html  []byte   // S2-compressed when the cache compresses
	dict  *s2.Dict // what html was compressed against; nil: none
	slots []int    // offsets of csrfSlot in the page as rendered
}

// csrfSlot stands for the CSRF token in a kept page. html/template writes
// it as it is (letters, digits and dashes), as it writes the tokens. It is
// as long as a masked token, so that a page decompressed into its buffer
// takes the token in place, with no second copy of the whole page.
var csrfSlot = "csrf-slot-" + strings.Repeat("0", maskedTokenLength-len("csrf-slot-"))

func newKeptPages[K comparable](name string, size int, compress bool, m *metrics.Metrics) (keptPages[K], error) {
	if size <= 0 {
		return keptPages[K]{}, nil
	}
	pages, err := lru.New[K, keptPage](size)
	return keptPages[K]{pages: pages, compress: compress, dict: new(atomic.Pointer[s2.Dict]), name: name, metrics: m}, err
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
	page, err := kept.decode((*bufp)[:cap(*bufp)])
	if err != nil {
		return true, err
	}
	*bufp = page
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
	kept := keptPage{html: bytes.Clone(page), slots: slotsOf(page)}
	if k.compress {
		kept.dict = k.dictionary(page)
		// A copy of exactly its size: Encode allocates for the worst case.
		// Not EncodeBetter or EncodeBest: they borrow tables of hundreds of
		// KB to MBs for each page they compress (64 first views at once took
		// the process past 200 MB), for a page a quarter smaller that
		// decompressed no faster.
		if kept.dict != nil {
			kept.html = bytes.Clone(kept.dict.Encode(nil, page))
		} else {
			kept.html = bytes.Clone(s2.Encode(nil, page))
		}
	}
	k.pages.Add(key, kept)
}

// dictionary returns the pages' dictionary, made of page if there is none
// yet: nil if page cannot be one (MakeDict wants 16 bytes or more).
func (k keptPages[K]) dictionary(page []byte) *s2.Dict {
	if dict := k.dict.Load(); dict != nil {
		return dict
	}
	dict := s2.MakeDict(bytes.Clone(page), nil) // it keeps the bytes it is given
	if dict == nil || k.dict.CompareAndSwap(nil, dict) {
		return dict
	}
	return k.dict.Load() // another request's page was first
}

// decode decompresses the page into dst, when dst is large enough.
func (p keptPage) decode(dst []byte) ([]byte, error) {
	if p.dict == nil {
		return s2.Decode(dst, p.html)
	}
	return p.dict.Decode(dst, p.html)
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
