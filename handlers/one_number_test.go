package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"stackfit/card"
	"stackfit/rules"
)

// TestOneNumberEverywhere: a result shows the same two figures, adding up
// to 100, on its page, in its decision record, its JSON and its card; a
// workshop's team result shows the same on the board, a participant's page
// once revealed, the team's record, the summary and the team's card.
func TestOneNumberEverywhere(t *testing.T) {
	app := newTestApp(t)
	// Answers whose shares are not whole numbers, so rounding matters.
	overrides := map[string][]string{"python": {"strong"}, "javascript": {"strong"}, "realtime": {"core"}, "admin": {"central"}}
	ev := app.evaluate(app.answers(overrides))
	d, n := ev.Scores.Shares()
	if d+n != 100 || (ev.Scores.Django*100)%(ev.Scores.Django+ev.Scores.NodeJS) == 0 {
		t.Fatalf("scores %+v give %d%% and %d%%; the test needs shares that round", ev.Scores, d, n)
	}
	legend := []string{fmt.Sprintf("Django %d%%</span>", d), fmt.Sprintf("Node.js %d%%</span>", n)}
	record := recordFigures(ev)
	inJSON := fmt.Sprintf(`"percent":{"django":%d,"nodejs":%d}`, d, n)

	t.Run("a result", func(t *testing.T) {
		c := app.client()
		path := c.finish(overrides)
		mustContain(t, c.get(path).body, legend...)
		mustContain(t, c.get(path+"/decision.md").body, record)
		mustContain(t, compact(c.get(path+"/result.json").body), inJSON)
		decodeCard(t, c.get(path+"/"+card.File), wantCard("", ev))
	})

	t.Run("a workshop's team", func(t *testing.T) {
		facilitator := app.client()
		code, key := facilitator.createWorkshop("One number", false)
		ada := app.client()
		ada.join(code, "Ada")
		ada.submitToWorkshop(code, overrides)
		if r := facilitator.do(http.MethodPost, "/api/v1/workshops/"+code+"/reveal", nil, bearer(key)); r.status != http.StatusOK {
			t.Fatalf("reveal: status %d", r.status)
		}
		if team := app.teamEvaluation(code); team.Scores != ev.Scores {
			t.Fatalf("one person's team scores %+v, want theirs %+v", team.Scores, ev.Scores)
		}
		mustContain(t, facilitator.get("/w/"+code+"/board").body, legend...)
		mustContain(t, ada.get("/w/"+code).body, legend...)
		mustContain(t, facilitator.get("/w/"+code+"/decision.md").body, record)
		mustContain(t, compact(facilitator.get("/w/"+code+"/summary.json").body), inJSON)
		decodeCard(t, app.client().get("/w/"+code+"/"+card.File), wantCard("One number", ev))
	})
}

// compact is JSON without the spaces and line breaks of its indentation.
func compact(js string) string { return strings.Join(strings.Fields(js), "") }

// recordFigures is the sentence of a decision record that gives the shares.
func recordFigures(ev *rules.Evaluation) string {
	if ev.Recommendation == rules.Tie {
		return fmt.Sprintf("weigh %d%% for Django and %d%% for Node.js", ev.Scores.Percent(rules.Django), ev.Scores.Percent(rules.NodeJS))
	}
	rec, other := ev.Recommendation, ev.Recommendation.Other()
	return fmt.Sprintf("weigh %d%% for %s against %d%% for %s", ev.Scores.Percent(rec), rec.Name(), ev.Scores.Percent(other), other.Name())
}
