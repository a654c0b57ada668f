package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/respond"
)

type errorView struct {
	Layout
	Status  int
	Message string
}

// handleError is the one place that decides what a failed request shows: a
// JSON {"error": ...} for the API, a page in the site's style otherwise. The
// status comes from respond.Status, the one table for both. The cause of a
// server error is logged once and never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := respond.Status(err)
	if c.Request().Context().Err() != nil && status != http.StatusRequestTimeout {
		// Whatever failed, nobody is listening (net/http also ends the
		// context of a request whose body timed out: that stays a 408).
		status = respond.StatusClientClosed
	}
	respond.RetryAfter(c, err)
	switch {
	case status == respond.StatusClientClosed || status == http.StatusRequestTimeout:
		// The client's doing: logRequests' line at info says enough.
		_ = c.NoContent(status)
		return
	case status >= 500:
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		if status == http.StatusInternalServerError {
			msg = "internal error"
		}
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if status == http.StatusInternalServerError || msg == "" {
		if f, ok := respond.Friendly[status]; ok {
			msg = f
		} else {
			msg = http.StatusText(status)
		}
	}
	v := errorView{Layout: s.layout(c, http.StatusText(status)), Status: status, Message: msg}
	block := ""
	// An event stream's refusal is read by a script, never shown as a page:
	// the message alone is enough, and costs a flood of refusals far less.
	if isFragment(c) || strings.Contains(c.Request().Header.Get(echo.HeaderAccept), "text/event-stream") {
		block = "error-message"
	}
	if rerr := s.render(c, status, "error", block, v); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
}
