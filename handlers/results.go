package handlers

import (
	"maps"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/rules"
)

type resultView struct {
	Layout
	verdictView
	ID       string
	Name     string // the decision's name, "" for none
	ShareURL string
	Created  time.Time
	Flips    []flipView
	// TopFlips are the changes that move the score most, shown at once;
	// MoreFlips the rest, behind "show all".
	TopFlips, MoreFlips []flipView
	Answers             []answerView
	Open                []answerView // "not sure" or not answered, in questionnaire order
	Owner               bool         // this browser made the result: it may change the answers
	WhatIf              *whatIfView
	Changed             *changedView
}

type flipView struct {
	Question       string
	Answer         string
	Recommendation rules.Side
	URL            string
	Scores         *scoreView // the shares after the change; nil for flips stored without them
}

// topFlips is how many changes "What would change this" lists before "show
// all": the ones that move the score most (rules ranks them).
const topFlips = 5

func splitFlips(fs []flipView) (top, more []flipView) {
	n := min(topFlips, len(fs))
	return fs[:n], fs[n:]
}

// whatIfView: the result shown is the stored one with some answers changed.
type whatIfView struct {
	Changes []answerView
	Hidden  []hiddenField // every answer, to save this as a new result
	BackURL string
}

type hiddenField struct{ Name, Value string }

// changedView: the result was made under another ruleset than today's. The
// page keeps showing what was stored, and offers today's evaluation of the
// same answers.
type changedView struct {
	Made, Now string // the ruleset versions: the one that made the result, today's
	Today     *rules.Evaluation
	Same      bool          // today's rules recommend the same
	Hidden    []hiddenField // the answers, to save today's evaluation as a new result
	Invalid   bool          // the questionnaire changed so much the answers no longer fit
}

// showResult sends the result's page, rendered once and then kept
// (resultPages): only the CSRF token is filled in per request.
func (s *Server) showResult(c echo.Context) error {
	id := c.Param("id")
	p := s.loadProgress(c)
	key := resultPageKey{ID: id, Ruleset: s.rules.Version, Origin: s.links.Abs(c, ""), Owner: p.owns(id)}
	return s.resultPages.serve(c, key, http.StatusOK, func(token string) ([]byte, error) {
		res, err := s.app.Result(c.Request().Context(), id)
		if err != nil {
			return nil, err
		}
		v := s.resultView(c, res, res.Answers, res.Evaluation)
		v.CSRF, v.Owner = token, p.owns(res.ID)
		if res.Ruleset != s.rules.Version {
			v.Changed = s.changed(res)
		}
		return s.views.Render("result", "", v)
	})
}

func (s *Server) changed(res stackfit.Result) *changedView {
	ch := &changedView{Made: res.Ruleset, Now: s.rules.Version}
	checked, today, err := s.app.Decide(res.Answers)
	if err != nil {
		ch.Invalid = true
		return ch
	}
	ch.Today, ch.Hidden = today, s.hiddenAnswers(checked)
	ch.Same = today.Recommendation == res.Evaluation.Recommendation
	return ch
}

// whatIf shows the result with some answers changed (query: question=option,
// repeated for a multiple choice). Nothing is stored until the person saves it.
func (s *Server) whatIf(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	changes, problems := form.Answers(s.rules, s.rules.Questions(), c.QueryParams())
	if len(problems) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "This link changes an answer to something the questionnaire does not offer.")
	}
	if len(changes) == 0 {
		return c.Redirect(http.StatusSeeOther, "/r/"+res.ID)
	}
	answers := rules.Answers{}
	maps.Copy(answers, res.Answers)
	maps.Copy(answers, changes)
	ev, err := s.rules.Evaluate(answers)
	if err != nil {
		return err
	}
	v := s.resultView(c, res, answers, ev)
	v.Title = "What if: " + v.Headline
	v.Social = nil
	wi := &whatIfView{BackURL: "/r/" + res.ID, Hidden: s.hiddenAnswers(answers)}
	for _, q := range s.rules.Questions() {
		if a, ok := changes[q.ID]; ok {
			wi.Changes = append(wi.Changes, s.answerView(q, a, ""))
		}
	}
	v.WhatIf = wi
	// Flips from here build on the changes already made.
	v.Flips = s.flipViews(res.ID, changes, ev)
	v.TopFlips, v.MoreFlips = splitFlips(v.Flips)
	return s.render(c, http.StatusOK, "result", "", v)
}

// hiddenAnswers are the form fields that post answers to /r as a new result.
func (s *Server) hiddenAnswers(answers rules.Answers) []hiddenField {
	var out []hiddenField
	for _, q := range s.rules.Questions() {
		for _, o := range answers[q.ID].Options {
			out = append(out, hiddenField{Name: q.ID, Value: o})
		}
	}
	return out
}

// createResult stores a complete answer set posted as a form (a what-if
// saved), with the decision's name when the form gives one.
func (s *Server) createResult(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
	}
	answers, problems := form.Answers(s.rules, s.rules.Questions(), values)
	if len(problems) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, problems[0].Text+": "+problems[0].Message)
	}
	name, problem := form.DecisionName(values.Get("name"))
	if problem != "" {
		return echo.NewHTTPError(http.StatusBadRequest, problem)
	}
	res, err := s.app.SaveResult(c.Request().Context(), c.RealIP(), name, answers)
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	p.Answers, p.Step = answers, reviewStep
	p.addResult(res.ID)
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/r/"+res.ID)
}

// startConfirmView asks before a result's answers replace the ones this
// browser has in progress.
type startConfirmView struct {
	Layout
	ID       string
	Question string // the question to change, "" for the review
	Yours    int    // how many answers are in progress
	Workshop string // the workshop they are for, if any
}

// startFromResult copies a result's answers into this browser's questionnaire
// and opens the review, or the step of the question named in the form field q.
// Answers in progress that differ are never replaced silently: without
// replace=yes the person is asked first, on a page that works without script.
func (s *Server) startFromResult(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	q := c.FormValue("q")
	target := "/q/" + reviewStep
	step := reviewStep
	if q != "" {
		step = s.sectionOf(q)
		if step == "" {
			return echo.NewHTTPError(http.StatusBadRequest, "There is no such question to change.")
		}
		target = "/q/" + step + "#q-" + q
	}
	if len(p.Answers) > 0 && !sameAnswers(p.Answers, res.Answers) && c.FormValue("replace") != "yes" {
		v := startConfirmView{Layout: s.layout(c, "Replace your answers?"), ID: res.ID, Question: q, Yours: len(p.Answers)}
		if p.Workshop != nil {
			v.Workshop = p.Workshop.Title
		}
		return s.render(c, http.StatusOK, "start-confirm", "", v)
	}
	p.Answers, p.Step = res.Answers, step
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// sameAnswers tells whether two answer sets choose the same options,
// whatever order each lists them in.
func sameAnswers(a, b rules.Answers) bool {
	return maps.EqualFunc(a, b, func(x, y rules.Choice) bool {
		return len(x.Options) == len(y.Options) && !slices.ContainsFunc(x.Options, func(o string) bool { return !y.Has(o) })
	})
}

// sectionOf is the id of the section holding question q, or "".
func (s *Server) sectionOf(q string) string {
	for _, sec := range s.rules.Sections {
		for _, qq := range sec.Questions {
			if qq.ID == q {
				return sec.ID
			}
		}
	}
	return ""
}

func (s *Server) resultView(c echo.Context, res stackfit.Result, answers rules.Answers, ev *rules.Evaluation) resultView {
	v := resultView{
		verdictView: s.verdict(ev),
		ID:          res.ID,
		Name:        res.Name,
		ShareURL:    s.links.Abs(c, "/r/"+res.ID),
		Created:     res.CreatedAt,
		Flips:       s.flipViews(res.ID, nil, ev),
	}
	v.TopFlips, v.MoreFlips = splitFlips(v.Flips)
	open := map[string]bool{}
	for _, id := range slices.Concat(ev.Unanswered, ev.Unsure) {
		open[id] = true
	}
	for _, sec := range s.rules.Sections {
		for _, q := range sec.Questions {
			a := s.answerView(q, answers[q.ID], "/q/"+sec.ID+"#q-"+q.ID)
			v.Answers = append(v.Answers, a)
			// Results stored before "unsure" was recorded: read it from the answers.
			if open[q.ID] || (ev.Unsure == nil && a.Unsure) {
				v.Open = append(v.Open, a)
			}
		}
	}
	v.Layout = s.layout(c, named(res.Name, v.Headline))
	v.NoIndex = true
	cd := cardOf(res.Name, v.verdictView)
	v.Social = &Social{Title: named(res.Name, v.Headline+" · "+string(ev.Confidence)+" confidence"), Description: v.Summary,
		URL: v.ShareURL, Image: shareImage(s.links.Abs(c, resultCardPath(res.ID)), cd)}
	v.Description = v.Summary
	return v
}

// flipViews turns the flips into links to the what-if page of result id
// (none without an id, as for a workshop's team); base holds changes already
// applied, so links from a what-if page add to them.
func (s *Server) flipViews(id string, base rules.Answers, ev *rules.Evaluation) []flipView {
	var out []flipView
	for _, f := range ev.Flips {
		q, ok := s.rules.Question(f.Question)
		if !ok {
			continue
		}
		fv := flipView{Question: q.Text, Answer: s.answerView(q, f.Answer, "").Answer, Recommendation: f.Recommendation}
		if f.Scores != (rules.Scores{}) {
			sc := scores(f.Scores)
			fv.Scores = &sc
		}
		if id != "" {
			query := url.Values{}
			for bq, a := range base {
				if bq != f.Question {
					query[bq] = a.Options
				}
			}
			query[f.Question] = f.Answer.Options
			fv.URL = "/r/" + id + "/what-if?" + query.Encode()
		}
		out = append(out, fv)
	}
	return out
}

// named puts the decision's name, if it has one, before what a title says.
func named(name, title string) string {
	if name == "" {
		return title
	}
	return name + ": " + title
}
