package handlers

import (
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"stackfit/card"
	"stackfit/handlers/respond"
	"stackfit/static"
)

// routes declares every route in one place.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlash(), headAsGet)
	e.Use(s.logRequests, s.recoverPanics(), securityHeaders(s.secure), middleware.BodyLimit(bodyLimit))

	// Static assets set their own long cache headers (static.Assets).
	e.GET(static.Prefix+"*", echo.WrapHandler(s.assets))
	e.GET("/healthz", s.health)

	// Share previews, fetched by chat apps without cookies: outside the
	// pages' middleware, which would set a CSRF cookie on a response meant
	// for shared caches. Each sets its own Cache-Control when it succeeds;
	// an error is never kept.
	noStore := respond.CacheControl("no-store")
	e.GET("/r/:id/"+card.File, s.resultCard, noStore)
	e.GET("/w/:code/"+card.File, s.teamCard, noStore)

	// The JSON API declares its own routes (handlers/api/api.go).
	s.api.Routes(e.Group("/api/v1"))

	// Pages: compressed (not their event streams), with CSRF protection on
	// every state-changing form post, the token masked per response. Answers,
	// workshops and facilitator keys (the created page and the board show
	// the facilitator link) are never kept by a cache (noStore); a result, a
	// capability link, only by the browser that opened it (private).
	pages := routeSet{e: e, middleware: []echo.MiddlewareFunc{compress(), unmaskCSRF, s.csrf(), csrfCookieOnce}}
	private := respond.CacheControl("private")
	pages.GET("/", s.home)
	pages.GET("/how", s.how)

	pages.GET("/q", s.resume, noStore)
	pages.GET("/q/reset", s.confirmReset, noStore)
	pages.POST("/q/reset", s.reset, noStore)
	pages.GET("/q/review", s.review, noStore)
	pages.POST("/q/review", s.submitReview, noStore)
	pages.GET("/q/:section", s.showStep, noStore)
	pages.POST("/q/:section", s.saveStep, noStore)

	pages.POST("/r", s.createResult, noStore)
	pages.GET("/r/:id", s.showResult, private, noIndex)
	pages.GET("/r/:id/what-if", s.whatIf, private, noIndex)
	pages.POST("/r/:id/start", s.startFromResult, noStore)
	pages.GET("/r/:id/decision.md", s.downloadRecord, noStore)
	pages.GET("/r/:id/result.json", s.downloadJSON, noStore)
	pages.GET("/r/:id/qr.svg", s.resultQR) // sets its own (qrCode)

	// Workshops: the facilitator's pages need the key kept in the session.
	pages.GET("/w", s.joinByCode, noStore)
	pages.GET("/w/new", s.newWorkshop, noStore)
	pages.POST("/w", s.createWorkshop, noStore)
	pages.GET("/w/:code", s.showWorkshop, noStore)
	pages.POST("/w/:code/join", s.joinWorkshop, noStore)
	pages.POST("/w/:code/answers", s.changeAnswers, noStore)
	pages.POST("/w/:code/leave", s.leaveWorkshop, noStore)
	pages.GET("/w/:code/events", s.participantEvents, noStore)
	pages.GET("/w/:code/created", s.workshopCreated, noStore)
	pages.GET("/w/:code/present", s.present, noStore)
	pages.GET("/w/:code/qr.svg", s.workshopQR) // sets its own (qrCode)
	pages.GET("/w/:code/board", s.board, noStore)
	pages.GET("/w/:code/board/events", s.boardEvents, noStore)
	pages.GET("/w/:code/board/slides", s.slides, noStore)
	pages.GET("/w/:code/board/slides/events", s.slideEvents, noStore)
	// Reveal and close ask first (confirm.go); hide and reopen undo them.
	pages.GET("/w/:code/reveal", s.confirmReveal, noStore)
	pages.POST("/w/:code/reveal", s.reveal, noStore)
	pages.POST("/w/:code/hide", s.hide, noStore)
	pages.GET("/w/:code/close", s.confirmClose, noStore)
	pages.POST("/w/:code/close", s.closeWorkshop, noStore)
	pages.POST("/w/:code/reopen", s.reopen, noStore)
	pages.POST("/w/:code/lock", s.lockJoining, noStore)
	pages.POST("/w/:code/unlock", s.unlockJoining, noStore)
	pages.POST("/w/:code/remove", s.removeParticipant, noStore)
	pages.GET("/w/:code/decision.md", s.exportRecord, noStore)
	pages.GET("/w/:code/answers.csv", s.exportCSV, noStore)
	pages.GET("/w/:code/summary.json", s.exportJSON, noStore)
}

// routeSet adds routes that share middleware. It stands in for echo.Group,
// whose Use registers a catch-all 404 route for the group: that route would
// answer a known path requested with the wrong method with 404, where Echo's
// router otherwise answers 405 with an Allow header.
type routeSet struct {
	e          *echo.Echo
	middleware []echo.MiddlewareFunc
}

func (r routeSet) GET(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r.e.GET(path, chain(h, slices.Concat(r.middleware, m)))
}

func (r routeSet) POST(path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	r.e.POST(path, chain(h, slices.Concat(r.middleware, m)))
}

// chain wraps h in middleware once, the first outermost, as Echo would: Echo
// wraps a route's handler in its middleware again on every request, a
// closure for each of the six or seven a page has.
func chain(h echo.HandlerFunc, middleware []echo.MiddlewareFunc) echo.HandlerFunc {
	for _, m := range slices.Backward(middleware) {
		h = m(h)
	}
	return h
}
