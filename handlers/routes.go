package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"stackfit/static"
)

// routes declares every route in one place.
func (s *Server) routes(e *echo.Echo) {
	e.Pre(middleware.RemoveTrailingSlash(), headAsGet)
	e.Use(s.logRequests, s.recoverPanics(), securityHeaders(s.secure), middleware.BodyLimit(bodyLimit))

	e.GET(static.Prefix+"*", echo.WrapHandler(s.assets))
	e.GET("/healthz", s.health)

	// The JSON API declares its own routes (handlers/api/api.go).
	s.api.Routes(e.Group("/api/v1"))

	// Pages: CSRF protection on every state-changing form post.
	pages := e.Group("", s.csrf())
	pages.GET("/", s.home)
	pages.GET("/how", s.how)

	pages.GET("/q", s.resume)
	pages.POST("/q/reset", s.reset)
	pages.GET("/q/review", s.review)
	pages.POST("/q/review", s.submitReview)
	pages.GET("/q/:section", s.showStep)
	pages.POST("/q/:section", s.saveStep)

	pages.POST("/r", s.createResult)
	pages.GET("/r/:id", s.showResult)
	pages.GET("/r/:id/what-if", s.whatIf)
	pages.POST("/r/:id/start", s.startFromResult)
	pages.GET("/r/:id/decision.md", s.downloadRecord)
	pages.GET("/r/:id/result.json", s.downloadJSON)
	pages.GET("/r/:id/qr.svg", s.resultQR)

	// Workshops: the facilitator's pages need the key kept in the session.
	pages.GET("/w", s.joinByCode)
	pages.GET("/w/new", s.newWorkshop)
	pages.POST("/w", s.createWorkshop)
	pages.GET("/w/:code", s.showWorkshop)
	pages.POST("/w/:code/join", s.joinWorkshop)
	pages.POST("/w/:code/answers", s.changeAnswers)
	pages.POST("/w/:code/leave", s.leaveWorkshop)
	pages.GET("/w/:code/events", s.participantEvents)
	pages.GET("/w/:code/created", s.workshopCreated)
	pages.GET("/w/:code/present", s.present)
	pages.GET("/w/:code/qr.svg", s.workshopQR)
	pages.GET("/w/:code/board", s.board)
	pages.GET("/w/:code/board/events", s.boardEvents)
	pages.POST("/w/:code/reveal", s.reveal)
	pages.POST("/w/:code/close", s.closeWorkshop)
	pages.POST("/w/:code/lock", s.lockJoining)
	pages.POST("/w/:code/unlock", s.unlockJoining)
	pages.POST("/w/:code/remove", s.removeParticipant)
	pages.GET("/w/:code/decision.md", s.exportRecord)
	pages.GET("/w/:code/answers.csv", s.exportCSV)
	pages.GET("/w/:code/summary.json", s.exportJSON)

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
