package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/respond"
)

type homeView struct {
	Layout
	Questions int
	Criteria  int
	Resume    *progressView // where this browser left off, if it has started
	Answered  int
	Results   []string
	Join      joinForm
	// Start is the first step, linked directly: a new visitor's first click
	// costs no redirect through /q.
	Start string
}

// home sends a new visitor the page kept for the address it was asked at
// (its link preview names it): nothing else on it differs between them.
func (s *Server) home(c echo.Context) error {
	p := s.loadProgress(c)
	render := func(token string) ([]byte, error) {
		v := homeView{
			Layout:    s.layout(c, "Django or Node.js?"),
			Questions: len(s.rules.Questions()),
			Criteria:  len(s.rules.Criteria),
			Answered:  len(p.Answers),
			Results:   p.Results,
			Start:     "/q/" + s.rules.Sections[0].ID,
		}
		v.CSRF = token
		if len(p.Answers) > 0 {
			i := s.sectionIndex(p.Step)
			if i < 0 {
				i = len(s.rules.Sections) // review
			}
			pv := s.stepProgress(i, p.Workshop)
			v.Resume = &pv
		}
		v.Social = &Social{Title: "stackfit: Django or Node.js?", Description: siteDescription, URL: s.links.Abs(c, "/")}
		return s.views.Render("home", "", v)
	}
	if len(p.Answers) > 0 || len(p.Results) > 0 {
		page, err := render(csrfToken(c))
		if err != nil {
			return err
		}
		return sendPage(c, http.StatusOK, page, nil, "")
	}
	return s.homePages.serve(c, s.links.Abs(c, "/"), http.StatusOK, render)
}

func (s *Server) health(c echo.Context) error {
	if err := s.app.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check", "err", err)
		respond.RetryAfter(c, err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ok", "ruleset": s.rules.Version,
		"version": s.build.Version, "commit": s.build.Commit, "built": s.build.Date})
}
