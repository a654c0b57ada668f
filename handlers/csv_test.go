package handlers_test

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// quotedRow is a CSV line whose every cell is quoted.
var quotedRow = regexp.MustCompile(`^"(?:[^"]|"")*"(?:,"(?:[^"]|"")*")*$`)

// TestCSVFormulas checks that no participant's name becomes a formula when
// the CSV is opened in a spreadsheet: every cell is quoted, so no locale's
// separator splits it, and no cell, nor any piece a separator or quote could
// start, begins with a formula character.
func TestCSVFormulas(t *testing.T) {
	app := newTestApp(t)
	fac := app.client()
	code, _ := fac.createWorkshop("Kickoff", false)
	tests := []struct {
		name, want string // want: the cell as a CSV reader reads it
	}{
		{"=1+1", "'=1+1"},
		{"+1", "'+1"},
		{"-1", "'-1"},
		{"@SUM(A1:A9)", "'@SUM(A1:A9)"},
		{";=1+1;", ";'=1+1;"},
		{"Ann,=HYPERLINK(\"x\")", "Ann,'=HYPERLINK(\"x\")"},
		{`Bo"=1+1`, `Bo"'=1+1`},
		{"Smith; Jo", "Smith; Jo"},
		{"Ann \"the boss\"", "Ann \"the boss\""},
		{"Jean-Luc", "Jean-Luc"},
	}
	for _, tt := range tests {
		app.client().join(code, tt.name)
	}
	res := fac.get("/w/" + code + "/answers.csv")
	if res.status != http.StatusOK {
		t.Fatalf("answers.csv: status %d", res.status)
	}
	lines := strings.Split(strings.TrimSuffix(res.body, "\n"), "\n")
	for _, l := range lines {
		if !quotedRow.MatchString(l) {
			t.Errorf("line %q has a cell without quotes", l)
		}
	}
	rows, err := csv.NewReader(strings.NewReader(res.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, row := range rows[1:] {
		names[row[0]] = true
	}
	for _, tt := range tests {
		if !names[tt.want] {
			t.Errorf("name %q: no cell %q in %v", tt.name, tt.want, names)
		}
	}
	// Split the raw text as a program that ignores the quoting would, on
	// either separator: no piece may start a formula.
	for _, piece := range strings.FieldsFunc(res.body, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if p := strings.TrimLeft(piece, `"`); p != "" && strings.ContainsRune("=+-@", rune(p[0])) {
			t.Errorf("piece %q of the raw CSV starts a formula", piece)
		}
	}
}
