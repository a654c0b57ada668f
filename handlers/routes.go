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

	api := e.Group("/api/v1", requireJSON)
	api.GET("/questionnaire", s.apiQuestionnaire)
	api.GET("/criteria", s.apiCriteria)
	api.POST("/evaluate", s.apiEvaluate)
	api.POST("/results", s.apiCreateResult)
	api.GET("/results/:id", s.apiResult)

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
	pages.POST("/q/:section/lean", s.lean)

	pages.POST("/r", s.createResult)
	pages.GET("/r/:id", s.showResult)
	pages.GET("/r/:id/what-if", s.whatIf)
	pages.POST("/r/:id/start", s.startFromResult)
	pages.GET("/r/:id/decision.md", s.downloadRecord)
	pages.GET("/r/:id/result.json", s.downloadJSON)
	pages.GET("/r/:id/qr.svg", s.resultQR)

	e.RouteNotFound("/*", func(c echo.Context) error { return echo.ErrNotFound })
}
