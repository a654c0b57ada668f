package handlers

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/record"
	"stackfit/rules"
	"stackfit/workshop"
)

type boardView struct {
	Layout
	W     stackfit.Workshop
	Board boardBody
}

// boardBody is the part of the board that updates live.
type boardBody struct {
	CSRF    string // for the lock and remove buttons, which update with the board
	W       stackfit.Workshop
	JoinURL string
	// Live: sent as a live update (or a fragment) rather than in the page,
	// it carries the way to join, above it, out of band.
	Live       bool
	Joined     int
	Finished   int
	People     []personView
	Team       verdictView
	TeamFlips  []flipView
	Individual workshop.Tally
	Questions  []questionRow // most disagreement first
	Heat       heatMap
}

type personView struct {
	ID       string // for the remove button
	Name     string
	Finished bool
	Verdict  string // "Django · medium"
}

// questionRow is one question on the board: how the team answered it.
type questionRow struct {
	ID           string
	Text         string
	Disagreement int // percent
	Answered     int
	TeamAnswer   string
	Bars         []barView
}

type barView struct {
	Label   string
	Count   int
	Percent int
}

// heatMap is questions × participants, the questions in board order: each
// row names its question in full, and each cell says whether that person's
// answer matches the team's.
type heatMap struct {
	People []string // those who finished
	Rows   []heatRow
}

type heatRow struct {
	Question string
	Cells    []heatCell
}

type heatCell struct {
	Class   string // agrees, differs, unsure, unanswered
	Answer  string
	Meaning string // what the colour says, for a screen reader: "same as the team", "differs from the team"
}

// board shows the facilitator's board. A facilitator link (?key=) puts its
// key in the session and drops it from the address bar, so it does not
// linger in history or screenshots.
func (s *Server) board(c echo.Context) error {
	if key := c.QueryParam("key"); key != "" {
		w, err := s.withKey(c, key)
		if err != nil {
			return err
		}
		p := s.loadProgress(c)
		p.facilitate(w.Code, key)
		if err := s.saveProgress(c, p); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/w/"+w.Code+"/board")
	}
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	body, err := s.boardBody(c, w)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	if isFragment(c) { // a board button enhanced by htmx, after its redirect
		body.Live = true
		return s.render(c, http.StatusOK, "board", "board-body", body)
	}
	v := boardView{Layout: s.layout(c, "Board: "+w.Title), W: w, Board: body}
	v.Live = true
	return s.render(c, http.StatusOK, "board", "", v)
}

// boardEvents streams the live part of the board after every change.
func (s *Server) boardEvents(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	view := func(w stackfit.Workshop) (any, error) {
		b, err := s.boardBody(c, w)
		b.Live = true
		return b, err
	}
	return s.stream(c, w.Code, func(stackfit.Event) bool { return true }, "board", "board-body", view)
}

// stateChange is what a facilitator does to a workshop (App.Reveal,
// App.Close, their undoing, the lock), which tells those watching.
type stateChange func(ctx context.Context, code string) (stackfit.Workshop, error)

func (s *Server) reveal(c echo.Context) error        { return s.changeOnBoard(c, s.app.Reveal) }
func (s *Server) closeWorkshop(c echo.Context) error { return s.changeOnBoard(c, s.app.Close) }
func (s *Server) hide(c echo.Context) error          { return s.changeOnBoard(c, s.app.Hide) }
func (s *Server) reopen(c echo.Context) error        { return s.changeOnBoard(c, s.app.Reopen) }
func (s *Server) lockJoining(c echo.Context) error   { return s.changeOnBoard(c, s.app.Lock) }
func (s *Server) unlockJoining(c echo.Context) error { return s.changeOnBoard(c, s.app.Unlock) }

// removeParticipant is the board's remove button beside a person (form
// field participant, their id): their place is freed and their answers
// leave the team's.
func (s *Server) removeParticipant(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	id := c.FormValue("participant")
	if err := s.app.RemoveParticipant(c.Request().Context(), w.Code, id); err != nil {
		return err
	}
	// The board the redirect leads to may be on an instance that has not
	// yet heard of the removal: the id tells it whom it must not list.
	return c.Redirect(http.StatusSeeOther, "/w/"+w.Code+"/board?"+url.Values{removedParam: {id}}.Encode())
}

// changeOnBoard is one of the board's buttons that change the workshop.
func (s *Server) changeOnBoard(c echo.Context, ch stateChange) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	if _, err := ch(c.Request().Context(), w.Code); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/"+w.Code+"/board")
}

// removedParam names, on the board's URL after a removal, the participant
// removed, so that the board does not list them (App.SummarizeWithout).
const removedParam = "removed"

func (s *Server) boardBody(c echo.Context, w stackfit.Workshop) (boardBody, error) {
	var team stackfit.Team
	var err error
	if id := c.QueryParam(removedParam); id != "" {
		team, _, err = s.app.SummarizeWithout(c.Request().Context(), w.Code, id)
	} else {
		team, err = s.app.Summarize(c.Request().Context(), w.Code)
	}
	if err != nil {
		return boardBody{}, err
	}
	sum := team.Summary
	w.Joined = len(team.Participants) // read after w: the places left agree with the people listed
	token := csrfToken(c)
	b := boardBody{
		CSRF: token, W: w, JoinURL: s.joinURL(c, w.Code), Joined: w.Joined, Team: s.verdict(sum.Evaluation),
		TeamFlips: s.flipViews("", nil, sum.Evaluation), Individual: sum.Individual,
		Questions: s.questionRows(sum),
	}
	var finished []rules.Answers
	for i, p := range team.Participants {
		name := w.DisplayName(p, i)
		pv := personView{ID: p.ID, Name: name, Finished: p.Submitted}
		if p.Submitted {
			b.Finished++
			pv.Verdict = verdictLine(p.Evaluation)
			b.Heat.People = append(b.Heat.People, name)
			finished = append(finished, p.Answers)
		}
		b.People = append(b.People, pv)
	}
	if len(finished) > 0 {
		for _, row := range b.Questions {
			b.Heat.Rows = append(b.Heat.Rows, s.heatRow(row, finished, sum))
		}
	}
	return b, nil
}

func verdictLine(ev *rules.Evaluation) string {
	if ev.Recommendation == rules.Tie {
		return "Too close to call"
	}
	return ev.Recommendation.Name() + " · " + string(ev.Confidence)
}

func (s *Server) questionRows(sum workshop.Summary) []questionRow {
	var rows []questionRow
	for _, qs := range sum.Ranked() {
		q := qs.Question
		row := questionRow{ID: q.ID, Text: q.Text, Disagreement: int(qs.Disagreement*100 + 0.5),
			Answered: sum.Responses - qs.Unanswered, TeamAnswer: "no team answer"}
		if len(qs.Team.Options) > 0 {
			row.TeamAnswer = s.answerView(q, qs.Team, "").Answer
		}
		for _, o := range q.Options {
			n := qs.Distribution[o.ID]
			bar := barView{Label: o.Label, Count: n}
			if row.Answered > 0 {
				bar.Percent = 100 * n / row.Answered
			}
			row.Bars = append(row.Bars, bar)
		}
		rows = append(rows, row)
	}
	return rows
}

func (s *Server) heatRow(q questionRow, people []rules.Answers, sum workshop.Summary) heatRow {
	row := heatRow{Question: q.Text}
	qs, _ := sum.Question(q.ID)
	for _, answers := range people {
		a, answered := answers[q.ID]
		cell := heatCell{Class: workshop.Agreement(qs.Question, qs.Team, a, answered), Answer: "not answered"}
		if answered {
			cell.Answer = s.answerView(qs.Question, a, "").Answer
		}
		switch cell.Class {
		case "agrees":
			cell.Meaning = "same as the team"
		case "differs":
			cell.Meaning = "differs from the team"
		}
		row.Cells = append(row.Cells, cell)
	}
	return row
}

// discussion lists the questions the team differed on, most first, as the
// decision record's discussion points.
func (s *Server) discussion(sum workshop.Summary) []record.Point {
	var out []record.Point
	for _, qs := range sum.Ranked() {
		if qs.Disagreement == 0 {
			break
		}
		var parts []string
		for _, o := range qs.Question.Options {
			if n := qs.Distribution[o.ID]; n > 0 {
				parts = append(parts, strconv.Itoa(n)+" × "+o.Label)
			}
		}
		out = append(out, record.Point{Question: qs.ID, Summary: strings.Join(parts, ", "), Disagreement: qs.Disagreement})
	}
	return out
}

// consulted names the people who answered, for the decision record.
func consulted(w stackfit.Workshop, parts []stackfit.Participant) []string {
	var names []string
	for i, p := range parts {
		if p.Submitted {
			names = append(names, w.DisplayName(p, i))
		}
	}
	if w.Anonymous && len(names) > 0 {
		return []string{strconv.Itoa(len(names)) + " participants, anonymously"}
	}
	return slices.Clip(names)
}
