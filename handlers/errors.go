package handlers

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/rules"
)

// Sentences a person can act on, by status. A 4xx error may carry its own.
var friendly = map[int]string{
	http.StatusNotFound:              "We could not find that page. If someone sent you a link, check that it was copied whole.",
	http.StatusMethodNotAllowed:      "That address does not take this kind of request.",
	http.StatusRequestEntityTooLarge: "That was more data than stackfit accepts (64 KiB).",
	http.StatusInternalServerError:   "Something went wrong on our side. Your answers are kept; try again in a moment.",
	http.StatusTooManyRequests:       "Too many workshop codes that do not exist were tried from your network. Wait a minute, then check the code with your facilitator.",
}

const (
	msgClosed     = "This workshop is closed: the facilitator is no longer taking answers, so yours were not sent."
	msgNoWorkshop = "No workshop has that code. Check it with your facilitator: codes have six letters and digits."
	msgNeedKey    = "This board opens only with the facilitator link (or, for the API, the facilitator key as a Bearer token)."
)

type errorView struct {
	Layout
	Status  int
	Message string
}

// handleError is the one place that decides what a failed request shows: a
// JSON {"error": ...} for the API, a page in the site's style otherwise. The
// cause of a server error is logged once and never shown.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := classify(err)
	if status >= 500 {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Request().URL.Path, "err", err)
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		if status >= 500 {
			msg = "internal error"
		}
		_ = c.JSON(status, map[string]string{"error": msg})
		return
	}
	if status >= 500 || msg == "" {
		if f, ok := friendly[status]; ok {
			msg = f
		} else {
			msg = http.StatusText(status)
		}
	}
	v := errorView{Layout: s.layout(c, http.StatusText(status)), Status: status, Message: msg}
	block := ""
	if isFragment(c) {
		block = "error-message"
	}
	if rerr := s.render(c, status, "error", block, v); rerr != nil {
		s.log.Error("render error page", "err", rerr)
		_ = c.String(status, msg)
	}
}

func classify(err error) (int, string) {
	var he *echo.HTTPError
	var ae *rules.AnswerError
	switch {
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		// Echo's own errors carry only the status text: say something useful.
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
			if strings.EqualFold(msg, http.StatusText(he.Code)) {
				msg = friendly[he.Code]
			}
		}
		return he.Code, msg
	case errors.As(err, &ae):
		return http.StatusBadRequest, ae.Error()
	case errors.Is(err, stackfit.ErrNotFound):
		return http.StatusNotFound, friendly[http.StatusNotFound]
	case errors.Is(err, stackfit.ErrClosed):
		return http.StatusConflict, msgClosed
	case errors.Is(err, stackfit.ErrWrongKey):
		return http.StatusUnauthorized, msgNeedKey
	}
	return http.StatusInternalServerError, ""
}
