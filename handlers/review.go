package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/form"
	"stackfit/rules"
)

type reviewView struct {
	Layout
	Progress progressView
	Sections []reviewSection
	Problems []form.Problem
	Leaning  *leaningView // nil until every question has an answer
	// The decision's optional name, as typed, and what is wrong with it.
	Name, NameProblem string
}

type reviewSection struct {
	Title   string
	Answers []answerView
}

// answerView is one answer as a person reads it, with a link to change it.
type answerView struct {
	QuestionID string
	Question   string
	Answer     string // the labels, or "Not answered"
	Unsure     bool
	Missing    bool
	ChangeURL  string
}

func (s *Server) review(c echo.Context) error {
	p := s.loadProgress(c)
	p.Step = reviewStep
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return s.renderReview(c, http.StatusOK, p, nil)
}

// submitReview evaluates the answers, stores the result and shows it.
func (s *Server) submitReview(c echo.Context) error {
	p := s.loadProgress(c)
	if missing := form.Missing(s.rules.Questions(), p.Answers); len(missing) > 0 {
		// The name typed so far comes back with the review, to send once the answers are in.
		v := s.reviewView(c, p, missing)
		v.Name = c.FormValue("name")
		return s.page(c, http.StatusUnprocessableEntity, "review", "wizard", v)
	}
	if p.Workshop != nil {
		return s.submitToWorkshop(c, p)
	}
	typed := c.FormValue("name")
	name, problem := form.DecisionName(typed)
	if problem != "" {
		v := s.reviewView(c, p, nil)
		v.Name, v.NameProblem = typed, problem
		return s.page(c, http.StatusUnprocessableEntity, "review", "wizard", v)
	}
	res, err := s.app.SaveResult(c.Request().Context(), c.RealIP(), name, p.Answers)
	if err != nil {
		return err
	}
	p.addResult(res.ID)
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/r/"+res.ID)
}

func (s *Server) renderReview(c echo.Context, status int, p progress, problems []form.Problem) error {
	return s.page(c, status, "review", "wizard", s.reviewView(c, p, problems))
}

func (s *Server) reviewView(c echo.Context, p progress, problems []form.Problem) reviewView {
	a := p.Answers
	v := reviewView{
		Layout:   s.layout(c, "Review your answers"),
		Progress: s.stepProgress(len(s.rules.Sections), p.Workshop),
		Problems: problems,
	}
	v.Progress.WorkshopClosed = s.closedFor(c, p.Workshop)
	for _, sec := range s.rules.Sections {
		rs := reviewSection{Title: sec.Title}
		for _, q := range sec.Questions {
			rs.Answers = append(rs.Answers, s.answerView(q, a[q.ID], "/q/"+sec.ID+"#q-"+q.ID))
		}
		v.Sections = append(v.Sections, rs)
	}
	if len(form.Missing(s.rules.Questions(), a)) == 0 {
		// Answers in the session were checked when they were saved.
		if ev, err := s.rules.Evaluate(a); err == nil {
			v.Leaning = leaning(ev)
		}
	}
	return v
}

func (s *Server) answerView(q *rules.Question, choice rules.Choice, changeURL string) answerView {
	av := answerView{QuestionID: q.ID, Question: q.Text, ChangeURL: changeURL}
	if len(choice.Options) == 0 {
		av.Answer, av.Missing = "Not answered", true
		return av
	}
	labels := make([]string, len(choice.Options))
	for i, id := range choice.Options {
		labels[i] = q.Label(id)
		if o, ok := q.Option(id); ok && o.Unsure {
			av.Unsure = true
		}
	}
	av.Answer = strings.Join(labels, "; ")
	return av
}
