// Package api is stackfit's JSON API under /api/v1: the questionnaire, an
// evaluation, results, and workshops with their event stream. It is a front
// door of its own, beside the pages in handlers: it shares the application
// (stackfit.App) and handlers/respond, not the pages' handlers. Its errors
// are answered as {"error": "..."} by the router's one error handler.
package api

import (
	"context"
	"mime"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/respond"
	"stackfit/rules"
)

// Config is what the API needs from the server that mounts it.
type Config struct {
	App   *stackfit.App
	Links respond.Links
	// Stopping closes when the server shuts down, ending event streams.
	Stopping <-chan struct{}
	// Streams counts the event streams, the pages' and the API's together.
	Streams *respond.Streams
}

// Handler holds every dependency of the API's handlers, and nothing else.
type Handler struct {
	app      *stackfit.App
	rules    *rules.Ruleset
	links    respond.Links
	stopping <-chan struct{}
	streams  *respond.Streams
	writes   slots // results and submissions being made
}

func New(cfg Config) *Handler {
	h := &Handler{app: cfg.App, rules: cfg.App.Rules(), links: cfg.Links, stopping: cfg.Stopping, streams: cfg.Streams,
		writes: make(slots, concurrentWrites)}
	if h.stopping == nil {
		h.stopping = make(chan struct{}) // never closes
	}
	if h.streams == nil {
		h.streams = respond.NewStreams(respond.StreamLimits{})
	}
	return h
}

// Routes declares the API's routes on g, the group at /api/v1. Middleware is
// given route by route, not with g.Use: that would register a catch-all 404
// route, and a known path asked with the wrong method would get 404, not 405
// with Allow. Every route gets requireJSON, so that no post can miss the
// API's CSRF defence. Results are the person's own (private); workshop
// replies carry keys and answers (no-store). Every route is described in
// openapi.json (see openAPI).
func (h *Handler) Routes(g *echo.Group) {
	add := func(method, path string, handler echo.HandlerFunc, m ...echo.MiddlewareFunc) {
		g.Add(method, path, handler, append([]echo.MiddlewareFunc{requireJSON}, m...)...)
	}
	noStore, private := respond.CacheControl("no-store"), respond.CacheControl("private")
	add(http.MethodGet, "/openapi.json", h.openAPIDocument)
	add(http.MethodGet, "/questionnaire", h.questionnaire)
	add(http.MethodGet, "/criteria", h.criteria)
	add(http.MethodPost, "/evaluate", h.evaluate)
	add(http.MethodPost, "/results", h.createResult, private, h.writes.bound)
	add(http.MethodGet, "/results/:id", h.result, private)
	add(http.MethodPost, "/workshops", h.createWorkshop, noStore)
	add(http.MethodPost, "/workshops/:code/submissions", h.submit, noStore, h.writes.bound)
	add(http.MethodGet, "/workshops/:code/summary", h.summary, noStore)
	add(http.MethodGet, "/workshops/:code/events", h.events, noStore)
	add(http.MethodPost, "/workshops/:code/reveal", h.reveal, noStore)
	add(http.MethodPost, "/workshops/:code/close", h.close, noStore)
	add(http.MethodPost, "/workshops/:code/hide", h.hide, noStore)
	add(http.MethodPost, "/workshops/:code/reopen", h.reopen, noStore)
	add(http.MethodPost, "/workshops/:code/lock", h.lock, noStore)
	add(http.MethodPost, "/workshops/:code/unlock", h.unlock, noStore)
	add(http.MethodDelete, "/workshops/:code/participants/:id", h.removeParticipant, noStore)
}

// concurrentWrites is how many results and submissions are made at once;
// the others wait their turn before reading their body. Every one waits for
// its commit anyway, and the writer gathers the waiting ones into one
// transaction, so 64 fill a commit as well as 300 do. What the bound saves
// is memory: decoding, evaluating and encoding grow a goroutine's stack
// from 8 to 16 KB, and it stays grown while the write waits for its commit;
// 300 such requests at once held some 5 MB of stacks, which the collector
// also counts into its goal.
const concurrentWrites = 64

// slots bounds how many requests pass at once (a counting semaphore).
type slots chan struct{}

// take waits for a free slot, or for ctx to end (the client left, the
// server stops); release gives the slot back.
func (s slots) take(ctx context.Context) (release func(), err error) {
	select {
	case s <- struct{}{}:
		return func() { <-s }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// bound lets a request through once it holds a slot.
func (s slots) bound(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		release, err := s.take(c.Request().Context())
		if err != nil {
			return err
		}
		defer release()
		return next(c)
	}
}

// requireJSON refuses API posts that are not JSON. Besides a clear error, this
// is the API's CSRF defence: a cross-site form cannot send application/json.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		// A post without a body (reveal, close) has nothing to mistype.
		if r := c.Request(); r.Method == http.MethodPost && (r.ContentLength != 0 || len(r.TransferEncoding) > 0) {
			mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
			if err != nil || !strings.EqualFold(mt, echo.MIMEApplicationJSON) {
				return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Content-Type must be application/json")
			}
		}
		return next(c)
	}
}
