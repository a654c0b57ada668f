package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// confirmView asks before an action that is hard to take back. Without
// JavaScript it is a page of its own: the link GETs it and its form POSTs
// the action to the same address. With JavaScript, static/js/app.js shows
// the same section in a <dialog> over the page the link was on.
type confirmView struct {
	Layout
	Question string // the heading: "Close “Kickoff”?"
	Effect   string // what happens
	Undo     string // what can be taken back afterwards, and how
	Action   string // where the form posts
	Confirm  string // the button that does it
	Cancel   string // where "keep things as they are" goes
	Keep     string // its label
}

// confirmReveal asks before the team's result is shown to every participant.
func (s *Server) confirmReveal(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	team, err := s.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return err
	}
	n := team.Summary.Responses
	q := "Reveal the team's result to everyone in “" + w.Title + "”?"
	return s.render(c, http.StatusOK, "confirm", "", confirmView{
		Layout: s.layout(c, q), Question: q,
		Effect: "Every participant sees the team's recommendation, its reasons and where the team differed most, on their page at once. " +
			"It is made from the answers of the " + strconv.Itoa(n) + " " + plural(n, "person", "people") + " who have sent theirs so far, and follows any answers sent later.",
		Undo:    "You can hide it again from the board at any time, but anyone who has already looked will have seen it.",
		Action:  "/w/" + w.Code + "/reveal",
		Confirm: "Reveal the team result", Cancel: "/w/" + w.Code + "/board", Keep: "Keep it hidden",
	})
}

// confirmClose asks before the workshop stops taking answers.
func (s *Server) confirmClose(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	q := "Close “" + w.Title + "”?"
	return s.render(c, http.StatusOK, "confirm", "", confirmView{
		Layout: s.layout(c, q), Question: q,
		Effect: "Nobody can join any more, and answers can no longer be sent or changed; anyone still answering is told at once. " +
			"The answers already sent stay on the board, and the join code and QR code leave it.",
		Undo:    "You can reopen the workshop from the board: it then takes answers again, within the same places.",
		Action:  "/w/" + w.Code + "/close",
		Confirm: "Close the workshop", Cancel: "/w/" + w.Code + "/board", Keep: "Keep it open",
	})
}

// confirmReset asks before the answers in this browser are forgotten.
func (s *Server) confirmReset(c echo.Context) error {
	p := s.loadProgress(c)
	n := len(p.Answers)
	effect := "Your answers in this browser are cleared, and you begin again at the first step."
	if n > 0 {
		effect = "Your " + strconv.Itoa(n) + " " + plural(n, "answer", "answers") + " in this browser are cleared, and you begin again at the first step."
	}
	undo := "This cannot be undone. Results you already saved keep their share links."
	if p.Workshop != nil {
		undo += " Answers you already sent to “" + p.Workshop.Title + "” stay on its board until you send new ones."
	}
	return s.render(c, http.StatusOK, "confirm", "", confirmView{
		Layout: s.layout(c, "Start over?"), Question: "Start over?",
		Effect: effect, Undo: undo, Action: "/q/reset",
		Confirm: "Clear my answers and start over", Cancel: "/q/" + reviewStep, Keep: "Keep my answers",
	})
}
