package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/form"
	"stackfit/rules"
)

// reviewStep is the step after the last section.
const reviewStep = "review"

type stepView struct {
	Layout
	Progress  progressView
	Section   rules.Section
	Questions []questionView
	Problems  []form.Problem
	Action    string
	HasPrev   bool
	Last      bool
}

type progressView struct {
	Step, Steps int // Steps counts the sections; the review comes after them
	Percent     int
	Label       string
	Links       []stepLink
	Workshop    *membership // answering for a workshop
	// WorkshopClosed: that workshop no longer takes answers, which each
	// step says at once rather than the review after the last one.
	WorkshopClosed bool
}

type stepLink struct {
	Title, URL string
	Mark       string // what a phone shows of the link: the step's number, ✓ for the review
	Current    bool
}

type questionView struct {
	*rules.Question
	Choices []choiceView
	Error   string
}

type choiceView struct {
	ID, Label string
	Checked   bool
}

// resume sends a person back to the step they were on.
func (s *Server) resume(c echo.Context) error {
	p := s.loadProgress(c)
	step := p.Step
	if step != reviewStep && s.sectionIndex(step) < 0 {
		step = s.rules.Sections[0].ID
	}
	return c.Redirect(http.StatusSeeOther, "/q/"+step)
}

// reset forgets the answers (not the results made from them) and starts again.
func (s *Server) reset(c echo.Context) error {
	p := s.loadProgress(c)
	p.Answers, p.Step = nil, ""
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/q/"+s.rules.Sections[0].ID)
}

func (s *Server) showStep(c echo.Context) error {
	i := s.sectionIndex(c.Param("section"))
	if i < 0 {
		return echo.ErrNotFound
	}
	p := s.loadProgress(c)
	// A reload of the step it is on changes nothing to keep: saving would
	// only encode the progress again to find that out.
	if p.Step != s.rules.Sections[i].ID {
		p.Step = s.rules.Sections[i].ID
		if err := s.saveProgress(c, p); err != nil {
			return err
		}
	}
	return s.renderStep(c, http.StatusOK, i, p, nil)
}

// saveStep keeps the step's answers and moves on, or back. Moving on needs
// every question answered; moving back never does.
func (s *Server) saveStep(c echo.Context) error {
	i := s.sectionIndex(c.Param("section"))
	if i < 0 {
		return echo.ErrNotFound
	}
	p, problems, err := s.mergeStep(c, i)
	if err != nil {
		return err
	}
	if c.FormValue("nav") == "back" && i > 0 {
		p.Step = s.rules.Sections[i-1].ID
		if err := s.saveProgress(c, p); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/q/"+p.Step)
	}
	problems = append(problems, form.Missing(s.rules.Sections[i].Questions, p.Answers)...)
	if len(problems) > 0 {
		if err := s.saveProgress(c, p); err != nil {
			return err
		}
		return s.renderStep(c, http.StatusUnprocessableEntity, i, p, problems)
	}
	p.Step = reviewStep
	if i+1 < len(s.rules.Sections) {
		p.Step = s.rules.Sections[i+1].ID
	}
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/q/"+p.Step)
}

// mergeStep replaces the stored answers to section i's questions with the
// posted ones, so an unticked box or a cleared choice is forgotten too.
func (s *Server) mergeStep(c echo.Context, i int) (progress, []form.Problem, error) {
	values, err := c.FormParams()
	if err != nil {
		return progress{}, nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.").SetInternal(err)
	}
	p := s.loadProgress(c)
	if p.Answers == nil {
		p.Answers = rules.Answers{}
	}
	questions := s.rules.Sections[i].Questions
	for _, q := range questions {
		delete(p.Answers, q.ID)
	}
	posted, problems := form.Answers(s.rules, questions, values)
	for q, a := range posted {
		p.Answers[q] = a
	}
	return p, problems, nil
}

// renderStep sends step i. Without problems to show, the page depends only
// on stepPageKey, and is kept (stepPages); with problems it is rendered.
func (s *Server) renderStep(c echo.Context, status, i int, p progress, problems []form.Problem) error {
	block := ""
	if isFragment(c) {
		block = "wizard"
	}
	// Read once: the page shows it, so the kept page's key holds it too.
	closed := s.closedFor(c, p.Workshop)
	render := func(token string) ([]byte, error) {
		v := s.stepView(c, i, p, closed, problems)
		v.CSRF = token
		return s.pageOrFragment("step", block, v)
	}
	if len(problems) > 0 {
		page, err := render(csrfToken(c))
		if err != nil {
			return err
		}
		return sendPage(c, status, page, nil, "")
	}
	return s.stepPages.serve(c, s.stepPageKey(i, block, p, closed), status, render)
}

// stepPageKey is everything a step's page shows without problems, beside
// the CSRF token: stepView reads nothing else. A change to stepView that
// shows more of the progress must add it here.
type stepPageKey struct {
	Section  int
	Block    string
	Workshop membership
	Closed   bool   // the workshop no longer takes answers
	Chosen   string // for each of the section's options in order, 1 if chosen
}

func (s *Server) stepPageKey(i int, block string, p progress, closed bool) stepPageKey {
	key := stepPageKey{Section: i, Block: block, Closed: closed}
	if p.Workshop != nil {
		key.Workshop = *p.Workshop
	}
	var chosen []byte
	for _, q := range s.rules.Sections[i].Questions {
		a := p.Answers[q.ID]
		for _, o := range q.Options {
			if a.Has(o.ID) {
				chosen = append(chosen, '1')
			} else {
				chosen = append(chosen, '0')
			}
		}
	}
	key.Chosen = string(chosen)
	return key
}

func (s *Server) stepView(c echo.Context, i int, p progress, closed bool, problems []form.Problem) stepView {
	sec, answers := s.rules.Sections[i], p.Answers
	v := stepView{
		Layout:   s.layout(c, sec.Title),
		Progress: s.stepProgress(i, p.Workshop),
		Section:  sec,
		Problems: problems,
		Action:   "/q/" + sec.ID,
		HasPrev:  i > 0,
		Last:     i == len(s.rules.Sections)-1,
	}
	errs := map[string]string{}
	for _, pr := range problems {
		errs[pr.Question] = pr.Message
	}
	v.Progress.WorkshopClosed = closed
	for _, q := range sec.Questions {
		qv := questionView{Question: q, Error: errs[q.ID]}
		chosen := answers[q.ID]
		for _, o := range q.Options {
			qv.Choices = append(qv.Choices, choiceView{ID: o.ID, Label: o.Label, Checked: chosen.Has(o.ID)})
		}
		v.Questions = append(v.Questions, qv)
	}
	if len(problems) > 0 {
		v.Title = "Check your answers: " + sec.Title
	}
	return v
}

func (s *Server) stepProgress(current int, w *membership) progressView {
	n := len(s.rules.Sections)
	pv := progressView{Step: current + 1, Steps: n, Workshop: w}
	if current >= n { // the review
		pv.Step, pv.Percent, pv.Label = n, 100, "Review"
	} else {
		pv.Percent = 100 * current / n
		pv.Label = "Step " + itoa(current+1) + " of " + itoa(n)
	}
	for j, sec := range s.rules.Sections {
		pv.Links = append(pv.Links, stepLink{Title: sec.Title, URL: "/q/" + sec.ID, Mark: itoa(j + 1), Current: j == current})
	}
	pv.Links = append(pv.Links, stepLink{Title: "Review", URL: "/q/" + reviewStep, Mark: "✓", Current: current >= n})
	return pv
}

func (s *Server) sectionIndex(id string) int {
	for i, sec := range s.rules.Sections {
		if sec.ID == id {
			return i
		}
	}
	return -1
}
