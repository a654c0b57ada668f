package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/rules"
)

// howView explains how stackfit decides: thresholds, every criterion with
// its quote, and the rules that use it.
type howView struct {
	Layout
	Decision rules.Decision
	Version  string
	Topics   []topicView
	Rules    map[string]rules.Rule
}

type topicView struct {
	Topic    string
	Criteria []rules.Criterion
}

func (s *Server) how(c echo.Context) error {
	v := howView{Layout: s.layout(c, "How stackfit decides"), Decision: s.rules.Decision, Version: s.rules.Version, Rules: map[string]rules.Rule{}}
	at := map[string]int{}
	for _, cr := range s.rules.Criteria {
		i, ok := at[cr.Topic]
		if !ok {
			i = len(v.Topics)
			at[cr.Topic] = i
			v.Topics = append(v.Topics, topicView{Topic: cr.Topic})
		}
		v.Topics[i].Criteria = append(v.Topics[i].Criteria, cr)
	}
	for _, r := range s.rules.Rules {
		v.Rules[r.ID] = r
	}
	return s.render(c, http.StatusOK, "how", "", v)
}
