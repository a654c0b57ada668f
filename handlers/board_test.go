package handlers_test

import (
	"html"
	"strings"
	"testing"
)

// TestBoardHeatMap: the heat map has a row per question, named in full and
// in board order, and a column per person; each cell says in words, not only
// in colour, whether the answer is the team's. Each question folds its answers.
func TestBoardHeatMap(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Heat", false)
	for _, p := range []struct{ name, python string }{{"Ada", "strong"}, {"Grace", "strong"}, {"Linus", "none"}} {
		c := app.client()
		c.join(code, p.name)
		c.submitToWorkshop(code, map[string][]string{"python": {p.python}})
	}
	python, _ := app.rules.Question("python")
	strong, none := python.Options[0].Label, python.Options[2].Label

	r := fac.get("/w/" + code + "/board")
	mustContain(t, r.body,
		`<thead><tr><th scope="col">Question</th><th scope="col">Ada</th><th scope="col">Grace</th><th scope="col">Linus</th></tr></thead>`,
		// The only question they differ on comes first.
		`<tbody>
        <tr><th scope="row">`+html.EscapeString(python.Text)+`</th>`+
			`<td class="agrees">`+html.EscapeString(strong)+`<span class="visually-hidden"> (same as the team)</span></td>`+
			`<td class="agrees">`+html.EscapeString(strong)+`<span class="visually-hidden"> (same as the team)</span></td>`+
			`<td class="differs">`+html.EscapeString(none)+`<span class="visually-hidden"> (differs from the team)</span></td></tr>`,
		`<details id="answers-python">`)
	if n := strings.Count(r.body, `<th scope="row">`+html.EscapeString(python.Text)); n != 1 {
		t.Errorf("the Python question heads %d heat-map rows, want 1", n)
	}
	// One landmark per name: the scroll box is not named like its section.
	if n := strings.Count(r.body, `aria-labelledby="heat-title"`); n != 1 {
		t.Errorf("%d elements are named by the heat map's title, want 1 (its section)", n)
	}
}
