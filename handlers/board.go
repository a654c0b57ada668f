package handlers

import (
	"context"
	"net/http"
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
	W       stackfit.Workshop
	JoinURL string
	Board   boardBody
}

// boardBody is the part of the board that updates live.
type boardBody struct {
	CSRF       string // for the lock and remove buttons, which update with the board
	W          stackfit.Workshop
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

// heatMap is participants × questions: each cell says whether the person's
// answer matches the team's, with the questions in board order.
type heatMap struct {
	Columns []heatColumn
	Rows    []heatRow
}

type heatColumn struct{ ID, Text string }

type heatRow struct {
	Name  string
	Cells []heatCell
}

type heatCell struct {
	Class  string // agrees, differs, unsure, unanswered
	Answer string
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
		return s.render(c, http.StatusOK, "board", "board-body", body)
	}
	v := boardView{Layout: s.layout(c, "Board: "+w.Title), W: w, Board: body,
		JoinURL: s.joinURL(c, w.Code)}
	v.Live = true
	return s.render(c, http.StatusOK, "board", "", v)
}

// boardEvents streams the live part of the board after every change.
func (s *Server) boardEvents(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	view := func(w stackfit.Workshop) (any, error) { return s.boardBody(c, w) }
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
	if err := s.app.RemoveParticipant(c.Request().Context(), w.Code, c.FormValue("participant")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/"+w.Code+"/board")
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

func (s *Server) boardBody(c echo.Context, w stackfit.Workshop) (boardBody, error) {
	team, err := s.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return boardBody{}, err
	}
	sum := team.Summary
	w.Joined = len(team.Participants) // read after w: the places left agree with the people listed
	token := csrfToken(c)
	b := boardBody{
		CSRF: token, W: w, Joined: w.Joined, Team: s.verdict(sum.Evaluation),
		TeamFlips: s.flipViews("", nil, sum.Evaluation), Individual: sum.Individual,
		Questions: s.questionRows(sum),
	}
	for _, col := range b.Questions {
		b.Heat.Columns = append(b.Heat.Columns, heatColumn{ID: col.ID, Text: col.Text})
	}
	for i, p := range team.Participants {
		name := w.DisplayName(p, i)
		pv := personView{ID: p.ID, Name: name, Finished: p.Submitted}
		if p.Submitted {
			b.Finished++
			pv.Verdict = verdictLine(p.Evaluation)
			b.Heat.Rows = append(b.Heat.Rows, s.heatRow(name, p.Answers, sum, b.Questions))
		}
		b.People = append(b.People, pv)
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

func (s *Server) heatRow(name string, answers rules.Answers, sum workshop.Summary, cols []questionRow) heatRow {
	row := heatRow{Name: name}
	for _, col := range cols {
		qs, _ := sum.Question(col.ID)
		a, answered := answers[col.ID]
		cell := heatCell{Class: workshop.Agreement(qs.Question, qs.Team, a, answered), Answer: "not answered"}
		if answered {
			cell.Answer = s.answerView(qs.Question, a, "").Answer
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
