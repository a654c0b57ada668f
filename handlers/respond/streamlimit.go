package respond

import (
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
)

// StreamLimits cap the event streams open at once. A stream holds a
// connection, a goroutine and a hub subscription for as long as the page is
// open, so without a cap one client could hold every descriptor the process
// has. Zero means no cap.
type StreamLimits struct {
	// PerClient caps one client address (as the IP extractor sees it). It
	// must let a whole office behind one address follow a full workshop.
	PerClient int
	// PerWorkshop caps the watchers of one workshop: its participants, the
	// board and the presenter view, with room for reconnecting tabs.
	PerWorkshop int
	// Total caps the whole server; keep it below the listener's connection
	// cap, so pages still get connections when every stream slot is taken.
	Total int
}

// retryStream is the Retry-After of a refused stream: long enough that a
// reconnecting page does not hammer the server, short enough for a person.
const retryStream = 30 * time.Second

// Streams counts the open event streams against StreamLimits. It is safe
// for concurrent use.
type Streams struct {
	limits     StreamLimits
	mu         sync.Mutex
	total      int
	byClient   map[string]int
	byWorkshop map[string]int
}

func NewStreams(l StreamLimits) *Streams {
	return &Streams{limits: l, byClient: map[string]int{}, byWorkshop: map[string]int{}}
}

// Open counts a stream of client's on workshop, and returns the function
// that ends the count. Past a cap it is refused: ELIMIT (429) when this
// client holds too many, EUNAVAILABLE (503) when the workshop or the server
// is full.
func (s *Streams) Open(client, workshop string) (done func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case over(s.byClient[client], s.limits.PerClient):
		return nil, &stackfit.Error{Code: stackfit.ELIMIT, RetryAfter: retryStream, Cause: "streams_per_client",
			Message: "Too many live pages are open from your network. Close some stackfit tabs, then reload this one."}
	case over(s.byWorkshop[workshop], s.limits.PerWorkshop):
		return nil, &stackfit.Error{Code: stackfit.EUNAVAILABLE, RetryAfter: retryStream, Cause: "streams_per_workshop",
			Message: "This workshop has as many live pages open as it can take. Reload in a minute; your answers are kept."}
	case over(s.total, s.limits.Total):
		return nil, &stackfit.Error{Code: stackfit.EUNAVAILABLE, RetryAfter: retryStream, Cause: "streams",
			Message: "stackfit has as many live pages open as it can take. Reload in a minute; your answers are kept."}
	}
	s.total++
	s.byClient[client]++
	s.byWorkshop[workshop]++
	var once sync.Once
	return func() { once.Do(func() { s.close(client, workshop) }) }, nil
}

func (s *Streams) close(client, workshop string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total--
	if s.byClient[client]--; s.byClient[client] <= 0 {
		delete(s.byClient, client)
	}
	if s.byWorkshop[workshop]--; s.byWorkshop[workshop] <= 0 {
		delete(s.byWorkshop, workshop)
	}
}

// Total is how many streams are open.
func (s *Streams) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

func over(n, limit int) bool { return limit > 0 && n >= limit }

// OpenStream counts the request's stream on workshop. When it is refused
// the answer also closes the connection (Connection: close), so a client
// that opens streams in a loop holds no descriptor past the refusal.
func OpenStream(c echo.Context, s *Streams, workshop string) (done func(), err error) {
	done, err = s.Open(c.RealIP(), workshop)
	if err != nil {
		c.Response().Header().Set(echo.HeaderConnection, "close")
		return nil, err
	}
	return done, nil
}
