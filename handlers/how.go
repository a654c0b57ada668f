package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/rules"
)

// howView explains how stackfit decides: how scores and confidence come
// about, every criterion with its quote by topic, and the rules that use it
// with why they weigh what they do.
type howView struct {
	Layout
	Decision rules.Decision
	Version  string
	Topics   []topicView
	Rules    map[string]rules.Rule
	Beyond   []*rules.Question // questions beyond the document: they add notes, never score
}

type topicView struct {
	Title    string
	Criteria []rules.Criterion
}

func (s *Server) how(c echo.Context) error {
	v := howView{Layout: s.layout(c, "How stackfit decides"), Decision: s.rules.Decision, Version: s.rules.Version, Rules: map[string]rules.Rule{}}
	at := map[string]int{}
	for _, t := range s.rules.Topics {
		at[t.ID] = len(v.Topics)
		v.Topics = append(v.Topics, topicView{Title: t.Title})
	}
	for _, cr := range s.rules.Criteria {
		i, ok := at[cr.Topic]
		if !ok { // a ruleset without topics: group by the criterion's own
			i = len(v.Topics)
			at[cr.Topic] = i
			v.Topics = append(v.Topics, topicView{Title: cr.Topic})
		}
		v.Topics[i].Criteria = append(v.Topics[i].Criteria, cr)
	}
	for _, r := range s.rules.Rules {
		v.Rules[r.ID] = r
	}
	for _, q := range s.rules.Questions() {
		if q.NoteOnly {
			v.Beyond = append(v.Beyond, q)
		}
	}
	return s.render(c, http.StatusOK, "how", "", v)
}
