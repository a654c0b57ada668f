package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/workshop"
)

// The board's projector mode: one slide per question, most disagreement
// first, then the team's result. Each slide is its own address
// (/w/{code}/board/slides?q=3), with Previous and Next links, so it works
// without JavaScript; with it, the arrow keys and a presenter's clicker
// (PageUp, PageDown) follow those links and htmx swaps the slide in place.

type projectorView struct {
	Layout
	W     stackfit.Workshop
	Slide slideView
}

// slideView is the part of a slide that updates live.
type slideView struct {
	Code       string
	N, Total   int    // slide N of Total: the questions, then the team's result
	Prev, Next string // their addresses; empty at either end
	Question   *questionRow
	Joined     int
	Finished   int
	Revealed   bool
	Team       verdictView
	Individual workshop.Tally
}

// Last is the team's result slide.
func (v slideView) Last() bool { return v.N == v.Total }

// slides shows one slide of the projector mode, or for htmx only the slide.
func (s *Server) slides(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	n, err := s.slideNumber(c)
	if err != nil {
		return err
	}
	slide, err := s.slide(c, w, n)
	if err != nil {
		return err
	}
	v := projectorView{Layout: s.layout(c, slideTitle(slide)+" · "+w.Title), W: w, Slide: slide}
	v.Live = true
	return s.page(c, http.StatusOK, "board-slides", "projector", v)
}

// slideEvents streams one slide again after every change, so the question
// on the screen shows each new answer.
func (s *Server) slideEvents(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	n, err := s.slideNumber(c)
	if err != nil {
		return err
	}
	view := func(w stackfit.Workshop) (any, error) { return s.slide(c, w, n) }
	return s.stream(c, w.Code, func(stackfit.Event) bool { return true }, "board-slides", "slide", view)
}

// slideNumber reads ?q=, 1 when it is missing: the first question.
func (s *Server) slideNumber(c echo.Context) (int, error) {
	n, ok := form.Slide(c.QueryParam("q"), len(s.rules.Questions())+1)
	if !ok {
		return 0, echo.ErrNotFound
	}
	return n, nil
}

// slide is slide n of a workshop's projector mode: its n-th most disputed
// question, or after the last one the team's result. The ranking follows the
// answers, so a new submission can bring another question to a number.
func (s *Server) slide(c echo.Context, w stackfit.Workshop, n int) (slideView, error) {
	team, err := s.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return slideView{}, err
	}
	sum := team.Summary
	rows := s.questionRows(sum)
	v := slideView{Code: w.Code, N: n, Total: len(rows) + 1, Joined: len(team.Participants),
		Revealed: w.Revealed}
	for _, p := range team.Participants {
		if p.Submitted {
			v.Finished++
		}
	}
	if n > 1 {
		v.Prev = slideURL(w.Code, n-1)
	}
	if n < v.Total {
		v.Next = slideURL(w.Code, n+1)
		v.Question = &rows[n-1]
		return v, nil
	}
	if w.Revealed && v.Finished > 0 {
		v.Team = s.verdict(sum.Evaluation)
		v.Individual = sum.Individual
	}
	return v, nil
}

func slideURL(code string, n int) string {
	return "/w/" + code + "/board/slides?" + url.Values{"q": {strconv.Itoa(n)}}.Encode()
}

// slideTitle names a slide in the document title.
func slideTitle(v slideView) string {
	if v.Last() {
		return "The team's result"
	}
	return "Question " + strconv.Itoa(v.N) + " of " + strconv.Itoa(v.Total-1)
}
