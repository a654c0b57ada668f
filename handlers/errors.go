package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/respond"
	"stackfit/workshop"
)

type errorView struct {
	Layout
	Status  int
	Heading string // what happened, in words: never a status phrase
	Message string // why, and what to do about it
	Onward  []link // where to go from here, the most useful first
}

// link is a way onward from an error page.
type link struct{ URL, Label string }

// headings say what happened, by status, for a person rather than a
// protocol ("Conflict", "Not Found" say nothing to them).
var headings = map[int]string{
	http.StatusBadRequest:            "That request could not be read",
	http.StatusUnauthorized:          "This board opens only with its facilitator link",
	http.StatusForbidden:             "That form could not be accepted",
	http.StatusNotFound:              "We could not find that",
	http.StatusMethodNotAllowed:      "That address does not work that way",
	http.StatusRequestTimeout:        "That took too long to arrive",
	http.StatusConflict:              "That cannot be done in this workshop now",
	http.StatusRequestEntityTooLarge: "That was more than stackfit accepts",
	http.StatusUnsupportedMediaType:  "That request could not be read",
	http.StatusTooManyRequests:       "Too many tries in a short time",
	http.StatusInternalServerError:   "Something went wrong on our side",
	http.StatusServiceUnavailable:    "stackfit is busy for a moment",
}

// heading is what happened: the status's heading, made precise by the
// core's error code where one status covers several cases.
func heading(status int, err error) string {
	switch {
	case stackfit.ErrorCode(err) == stackfit.ECLOSED:
		return "This workshop is closed"
	case stackfit.ErrorCode(err) == stackfit.EFULL:
		return "There is no place for you in this workshop now"
	}
	if h, ok := headings[status]; ok {
		return h
	}
	return "That did not work"
}

// onward is where a person can go from an error: back into the workshop
// the request was about (its team result, once revealed), the
// questionnaire, the start page.
func (s *Server) onward(c echo.Context, status int, err error) []link {
	home := link{"/", "Go to the start page"}
	code, _ := workshop.ParseCode(c.Param("code"))
	var member *membership
	if status == http.StatusConflict {
		member = s.loadProgress(c).Workshop
	}
	if code == "" && member != nil && stackfit.ErrorCode(err) == stackfit.ECLOSED {
		code = member.Code // sending from the review
	}
	switch {
	case status == http.StatusUnauthorized:
		return []link{{"/w/new", "Start a workshop of your own"}, home}
	case code != "" && status == http.StatusConflict:
		// The workshop exists (it refused something): say where its result is.
		team := link{"/w/" + code, "Go to the workshop's page, where the team's result appears once the facilitator reveals it"}
		if w, rerr := s.app.Workshop(c.Request().Context(), code); rerr == nil && w.Revealed {
			team = link{"/w/" + code + "#team-title", "See the team's result"}
		}
		if member == nil || member.Code != code {
			return []link{team, home}
		}
		return []link{team, {"/w/" + code + "#leave", "Leave the workshop and keep your answers for a result of your own"}, home}
	case status == http.StatusNotFound && strings.HasPrefix(c.Request().URL.Path, "/w"):
		return []link{{"/w", "Type the workshop code again"}, home}
	case status == http.StatusNotFound:
		return []link{home, {"/q", "Answer the questionnaire, or carry on where you left off"}}
	case c.Request().Method == http.MethodGet && (status >= 500 || status == http.StatusTooManyRequests):
		return []link{{c.Request().URL.Path, "Try again"}, home}
	}
	return []link{home, {"/q", "Back to the questionnaire, where your answers are kept"}}
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
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		s.metrics.Refused(status, stackfit.ErrorCause(err))
	}
	switch {
	case status == respond.StatusClientClosed || status == http.StatusRequestTimeout:
		// The client's doing: logRequests' line at info says enough.
		_ = c.NoContent(status)
		return
	case status >= 500:
		s.log.Error("request failed", "method", c.Request().Method, "route", routeOf(c), "err", err)
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
	h := heading(status, err)
	v := errorView{Layout: s.layout(c, h), Status: status, Heading: h, Message: msg, Onward: s.onward(c, status, err)}
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
