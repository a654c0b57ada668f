package handlers

import (
	"errors"
	"math"
	"net/http"
	"strconv"
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
}

// statusOf is the HTTP status of each of the application's error codes: the
// one table where the core's errors become statuses, for pages and API alike.
var statusOf = map[string]int{
	stackfit.EINVALID:      http.StatusBadRequest,
	stackfit.ENOTFOUND:     http.StatusNotFound,
	stackfit.ECLOSED:       http.StatusConflict,
	stackfit.EUNAUTHORIZED: http.StatusUnauthorized,
	stackfit.ELIMIT:        http.StatusTooManyRequests,
}

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
	if wait := stackfit.RetryAfter(err); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
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
	}
	status, ok := statusOf[stackfit.ErrorCode(err)]
	if !ok {
		return http.StatusInternalServerError, ""
	}
	// An error without a sentence of its own says what its status usually says.
	msg := stackfit.ErrorMessage(err)
	if msg == "" {
		msg = friendly[status]
	}
	return status, msg
}
