package handlers

import (
	"encoding/json"
	"slices"

	"github.com/labstack/echo/v4"

	"stackfit/rules"
)

const sessionName = "stackfit"

// progress is what a browser keeps between visits: the answers so far, the
// step it was on and the results it made (which it may change).
type progress struct {
	Answers rules.Answers `json:"a,omitempty"`
	Step    string        `json:"s,omitempty"`
	Results []string      `json:"r,omitempty"` // newest first
	// Workshop is set while this person answers for a workshop: the review
	// then sends the answers to it instead of making a result of their own.
	Workshop *membership `json:"w,omitempty"`
	// Facilitates holds the facilitator key of each workshop this browser
	// created or opened with its facilitator link (code → key).
	Facilitates map[string]string `json:"f,omitempty"`
	// Unshown lists the workshops created here whose facilitator link the
	// "created" page has not shown yet: it shows each once.
	Unshown []string `json:"u,omitempty"`
}

// membership is a person's place in a workshop: a reload or a second visit
// finds the same participant instead of making another.
type membership struct {
	Code        string `json:"c"`
	Title       string `json:"t"`
	Participant string `json:"p"`
}

// maxFacilitated keeps the cookie small: a facilitator of more workshops
// opens the older boards with their links again.
const maxFacilitated = 10

func (p *progress) facilitate(code, key string) {
	if p.Facilitates == nil {
		p.Facilitates = map[string]string{}
	}
	if _, ok := p.Facilitates[code]; !ok && len(p.Facilitates) >= maxFacilitated {
		for k := range p.Facilitates {
			delete(p.Facilitates, k) // any one: the map has no order, and all are recoverable by link
			break
		}
	}
	p.Facilitates[code] = key
}

// maxOwnedResults keeps the cookie small; older results stay readable by link.
const maxOwnedResults = 20

// loadProgress reads the session. A cookie that cannot be read (new keys, an
// old format) starts afresh rather than failing the request; answers that
// the current ruleset no longer accepts are dropped one by one.
func (s *Server) loadProgress(c echo.Context) progress {
	var p progress
	sess, _ := s.sessions.Get(c.Request(), sessionName)
	raw, _ := sess.Values["p"].(string)
	if raw == "" || json.Unmarshal([]byte(raw), &p) != nil {
		return progress{}
	}
	if checked, err := s.rules.Check(p.Answers); err == nil {
		p.Answers = checked // the usual case: one check of the whole set
		return p
	}
	valid := rules.Answers{}
	for q, choice := range p.Answers {
		if checked, err := s.rules.Check(rules.Answers{q: choice}); err == nil {
			valid[q] = checked[q]
		}
	}
	p.Answers = valid
	return p
}

func (s *Server) saveProgress(c echo.Context, p progress) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	sess, _ := s.sessions.Get(c.Request(), sessionName)
	sess.Values["p"] = string(raw)
	return sess.Save(c.Request(), c.Response())
}

func (p *progress) owns(id string) bool { return slices.Contains(p.Results, id) }

func (p *progress) addResult(id string) {
	p.Results = append([]string{id}, p.Results...)
	if len(p.Results) > maxOwnedResults {
		p.Results = p.Results[:maxOwnedResults]
	}
}
