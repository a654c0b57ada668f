package handlers

import (
	"html/template"
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/card"
	"stackfit/handlers/form"
)

type joinView struct {
	Layout
	joinForm
}

// joinForm is the code field, on the join page and the landing page.
type joinForm struct {
	Code    string
	Problem string
}

// joinByCode takes the code typed on the landing page (a GET form, so it
// works without JavaScript and can be bookmarked).
func (s *Server) joinByCode(c echo.Context) error {
	raw := c.QueryParam("code")
	if raw == "" {
		return s.render(c, http.StatusOK, "workshop-join", "", joinView{Layout: s.layout(c, "Join a workshop")})
	}
	w, err := s.findWorkshop(c, raw)
	if stackfit.ErrorCode(err) == stackfit.ENOTFOUND {
		v := joinView{Layout: s.layout(c, "Check the code: Join a workshop"), joinForm: joinForm{Code: raw, Problem: stackfit.ErrorMessage(err)}}
		return s.render(c, http.StatusNotFound, "workshop-join", "", v)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
}

type workshopView struct {
	Layout
	W           stackfit.Workshop
	Joined      bool
	Participant stackfit.Participant
	Own         *verdictView  // this person's result, once submitted
	Team        template.HTML // the team's result once revealed (workshop-team)
	NameProblem string
	Name        string
	Facilitator bool
}

// teamView is the team's result as participants see it after the reveal.
type teamView struct {
	verdictView
	Responses int
	Differed  []questionRow // where the team differed most
}

// showWorkshop is a participant's page: join, then follow the workshop.
func (s *Server) showWorkshop(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	v, err := s.workshopView(c, w)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "workshop", "", v)
}

func (s *Server) workshopView(c echo.Context, w stackfit.Workshop) (workshopView, error) {
	p := s.loadProgress(c)
	v := workshopView{Layout: s.layout(c, w.Title), W: w}
	v.Live = true
	_, v.Facilitator = p.Facilitates[w.Code]
	if p.Workshop != nil && p.Workshop.Code == w.Code {
		part, err := s.app.Participant(c.Request().Context(), w.Code, p.Workshop.Participant)
		switch {
		case stackfit.ErrorCode(err) == stackfit.ENOTFOUND:
			// A participant gone from the database joins again.
		case err != nil:
			return v, err
		default:
			v.Joined, v.Participant = true, part
			if part.Evaluation != nil {
				own := s.verdict(part.Evaluation)
				v.Own = &own
			}
		}
	}
	if w.Revealed {
		t, kept, err := s.summarizeFor(c, w, v)
		if err != nil {
			return v, err
		}
		if !kept {
			v.Team, err = s.teamFragment(t)
		} else {
			v.Team, err = s.teams.render(w.Code, t, s.teamFragment)
		}
		if err != nil {
			return v, err
		}
		// Only now may a preview of the join link show the team's card.
		team := s.verdict(t.Summary.Evaluation)
		cd := cardOf(w.Title, team)
		v.Social = &Social{Title: named(w.Title, team.Headline+" · "+string(team.Ev.Confidence)+" confidence"),
			Description: team.Summary, URL: s.joinURL(c, w.Code), Image: shareImage(s.links.Abs(c, "/w/"+w.Code+"/"+card.File), cd)}
	}
	return v, nil
}

// summarizeFor is the team's summary for the page of v: one that has the
// participant's own submission, read just before, when they joined. kept
// false: the summary was read afresh, to be rendered for this page only.
func (s *Server) summarizeFor(c echo.Context, w stackfit.Workshop, v workshopView) (stackfit.Team, bool, error) {
	if v.Joined {
		return s.app.SummarizeSeeing(c.Request().Context(), w.Code, v.Participant)
	}
	t, err := s.app.Summarize(c.Request().Context(), w.Code)
	return t, true, err
}

// teamFragment renders the team's result as participants see it.
func (s *Server) teamFragment(t stackfit.Team) (template.HTML, error) {
	sum := t.Summary
	team := teamView{verdictView: s.verdict(sum.Evaluation), Responses: sum.Responses}
	rows := s.questionRows(sum)
	team.Differed = rows[:min(5, len(rows))]
	html, err := s.views.Render("workshop", "workshop-team", team)
	// The template escaped every name and text in it.
	return template.HTML(html), err
}

// openWorkshop finds the workshop of the URL, refusing once it is closed.
func (s *Server) openWorkshop(c echo.Context) (stackfit.Workshop, error) {
	return s.app.OpenWorkshop(c.Request().Context(), c.RealIP(), c.Param("code"))
}

// joinWorkshop makes this browser a participant, once: joining again (a
// reload, a second click) finds the same participant.
func (s *Server) joinWorkshop(c echo.Context) error {
	w, err := s.openWorkshop(c)
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	if p.Workshop != nil && p.Workshop.Code == w.Code {
		if _, err := s.app.Participant(c.Request().Context(), w.Code, p.Workshop.Participant); err == nil {
			return c.Redirect(http.StatusSeeOther, "/q")
		}
	}
	name := ""
	if !w.Anonymous {
		var problem string
		if name, problem = form.Name(c.FormValue("name")); problem != "" {
			v, err := s.workshopView(c, w)
			if err != nil {
				return err
			}
			v.Title, v.NameProblem, v.Name = "Check your name: "+w.Title, problem, c.FormValue("name")
			return s.render(c, http.StatusUnprocessableEntity, "workshop", "", v)
		}
	}
	part, err := s.app.Join(c.Request().Context(), c.RealIP(), w.Code, name)
	if err != nil {
		return err
	}
	// Everyone in a workshop starts from a blank questionnaire.
	p.Workshop = &membership{Code: w.Code, Title: w.Title, Participant: part.ID}
	p.Answers, p.Step = nil, ""
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/q")
}

// submitToWorkshop sends the reviewed answers to the workshop this person
// joined; the review page calls it instead of making a result of one's own.
func (s *Server) submitToWorkshop(c echo.Context, p progress) error {
	part, err := s.app.Submit(c.Request().Context(), c.RealIP(), p.Workshop.Code, p.Workshop.Participant, p.Answers)
	if err != nil {
		return err
	}
	p.addResult(part.ResultID)
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/"+p.Workshop.Code)
}

// changeAnswers brings a participant's submitted answers back into the
// questionnaire, to change them while the workshop is open.
func (s *Server) changeAnswers(c echo.Context) error {
	w, err := s.openWorkshop(c)
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	if p.Workshop == nil || p.Workshop.Code != w.Code {
		return c.Redirect(http.StatusSeeOther, "/w/"+w.Code)
	}
	part, err := s.app.Participant(c.Request().Context(), w.Code, p.Workshop.Participant)
	if err != nil {
		return err
	}
	if part.Answers != nil {
		p.Answers = part.Answers
	}
	p.Step = reviewStep
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/q/"+reviewStep)
}

// leaveWorkshop goes back to answering for oneself; the submitted answers stay.
func (s *Server) leaveWorkshop(c echo.Context) error {
	p := s.loadProgress(c)
	// The answers stay: someone who leaves, say after the workshop closed,
	// still gets their own result from them.
	p.Workshop = nil
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	if len(p.Answers) > 0 {
		return c.Redirect(http.StatusSeeOther, "/q/"+reviewStep)
	}
	return c.Redirect(http.StatusSeeOther, "/")
}

// participantEvents streams the participant's status block, again whenever
// the facilitator reveals, hides, closes, reopens, locks or unlocks the workshop (the join
// form comes and goes with the lock).
func (s *Server) participantEvents(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	view := func(w stackfit.Workshop) (any, error) { return s.workshopView(c, w) }
	changed := func(e stackfit.Event) bool {
		switch e.Kind {
		case stackfit.EventRevealed, stackfit.EventHidden, stackfit.EventClosed, stackfit.EventReopened,
			stackfit.EventLocked, stackfit.EventUnlocked:
			return true
		}
		return false
	}
	return s.stream(c, w.Code, changed, "workshop", "workshop-status", view)
}

// closedFor tells whether the workshop a person answers for (m, nil when
// they answer for themselves) has closed. A failed read says no: the
// review still refuses the answers, in words, when they are sent.
func (s *Server) closedFor(c echo.Context, m *membership) bool {
	if m == nil {
		return false
	}
	w, err := s.app.Workshop(c.Request().Context(), m.Code)
	return err == nil && w.Closed
}
