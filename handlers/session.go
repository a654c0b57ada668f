package handlers

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

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

// sessionMaxAge keeps progress for two months.
const sessionMaxAge = 60 * 24 * 3600

// progressCookies signs and encrypts the progress cookie. The progress is
// JSON, sealed by securecookie without a serializer of its own: gorilla's
// sessions put it in a gob-encoded map, and gob rebuilt its type information
// on every request. Cookies from those days are still read (legacy) and
// rewritten in the new form on the next change.
type progressCookies struct {
	codec, legacy *securecookie.SecureCookie
	options       *sessions.Options
}

func newProgressCookies(hashKey, blockKey []byte, secure bool) progressCookies {
	codec := securecookie.New(hashKey, blockKey).SetSerializer(securecookie.NopEncoder{}).MaxAge(sessionMaxAge)
	// gorilla/sessions left its codec at its own 30 days.
	legacy := securecookie.New(hashKey, blockKey).MaxAge(86400 * 30)
	return progressCookies{codec: codec, legacy: legacy, options: &sessions.Options{
		Path: "/", MaxAge: sessionMaxAge, HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
	}}
}

// read returns the progress's JSON from the request's cookie, and whether it
// came in the current form.
func (pc progressCookies) read(r *http.Request) (raw []byte, current bool) {
	cookie, err := r.Cookie(sessionName)
	if err != nil {
		return nil, false
	}
	if pc.codec.Decode(sessionName, cookie.Value, &raw) == nil && json.Valid(raw) {
		return raw, true
	}
	values := map[any]any{}
	if pc.legacy.Decode(sessionName, cookie.Value, &values) == nil {
		if s, ok := values["p"].(string); ok {
			return []byte(s), false
		}
	}
	return nil, false
}

// sentProgress is the context key of the progress JSON the request carried
// in the current form: saveProgress writes no cookie when it is unchanged.
const sentProgress = "stackfit.progress"

// loadProgress reads the session. A cookie that cannot be read (new keys, an
// old format) starts afresh rather than failing the request; answers that
// the current ruleset no longer accepts are dropped one by one.
func (s *Server) loadProgress(c echo.Context) progress {
	var p progress
	raw, current := s.cookies.read(c.Request())
	if len(raw) == 0 || json.Unmarshal(raw, &p) != nil {
		return progress{}
	}
	if current {
		c.Set(sentProgress, raw)
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

// saveProgress writes the cookie, unless the request already carries this
// very progress (a plain GET of a page changes nothing).
func (s *Server) saveProgress(c echo.Context, p progress) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if sent, ok := c.Get(sentProgress).([]byte); ok && bytes.Equal(sent, raw) {
		return nil
	}
	encoded, err := s.cookies.codec.Encode(sessionName, raw)
	if err != nil {
		return err
	}
	c.SetCookie(sessions.NewCookie(sessionName, encoded, s.cookies.options))
	c.Set(sentProgress, raw) // a second save of the same progress in this request writes nothing more
	return nil
}

func (p *progress) owns(id string) bool { return slices.Contains(p.Results, id) }

func (p *progress) addResult(id string) {
	p.Results = append([]string{id}, p.Results...)
	if len(p.Results) > maxOwnedResults {
		p.Results = p.Results[:maxOwnedResults]
	}
}
