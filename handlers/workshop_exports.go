package handlers

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/api"
	"stackfit/record"
	"stackfit/rules"
)

// facilitatedTeam is the facilitator's workshop with its answers added up.
func (s *Server) facilitatedTeam(c echo.Context) (stackfit.Workshop, stackfit.Team, error) {
	w, err := s.facilitated(c)
	if err != nil {
		return w, stackfit.Team{}, err
	}
	t, err := s.app.Summarize(c.Request().Context(), w.Code)
	return w, t, err
}

func (s *Server) exportJSON(c echo.Context) error {
	w, t, err := s.facilitatedTeam(c)
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(api.Summarize(w, t), "", "  ")
	if err != nil {
		return err
	}
	return download(c, "stackfit-workshop-"+w.Code+".json", jsonDownload, body)
}

// exportRecord is the team's decision record: the team answers as drivers,
// the disagreements as discussion points, the participants as consulted.
func (s *Server) exportRecord(c echo.Context) error {
	w, t, err := s.facilitatedTeam(c)
	if err != nil {
		return err
	}
	md := record.Markdown(record.Decision{
		Title:      w.Title,
		Context:    w.Context,
		Date:       time.Now(),
		Ruleset:    s.rules,
		Answers:    t.Summary.Team,
		Evaluation: t.Summary.Evaluation,
		Consulted:  consulted(w, t.Participants),
		Discussion: s.discussion(t.Summary),
	})
	return download(c, "stackfit-workshop-"+w.Code+".md", mimeMarkdown, md)
}

// exportCSV has one row per participant and one column per question, for
// people to read in a spreadsheet: one header row of question texts, the
// option labels in the cells ("; " between ticked options). The ids stay in
// the JSON export (summary.json) for programs.
func (s *Server) exportCSV(c echo.Context) error {
	w, err := s.facilitated(c)
	if err != nil {
		return err
	}
	parts, err := s.app.Participants(c.Request().Context(), w.Code)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	header := []string{"Participant", "Submitted at (UTC)", "Recommendation", "Confidence"}
	questions := s.rules.Questions()
	for _, q := range questions {
		header = append(header, q.Text)
	}
	writeCSVRow(&buf, header)
	for i, p := range parts {
		row := []string{w.DisplayName(p, i), "", "", ""}
		if p.Submitted {
			row[1] = p.SubmittedAt.UTC().Format("2006-01-02 15:04")
			row[2], row[3] = recommendationText(p.Evaluation.Recommendation), string(p.Evaluation.Confidence)
		}
		for _, q := range questions {
			cell := ""
			if a := p.Answers[q.ID]; len(a.Options) > 0 {
				cell = s.answerView(q, a, "").Answer
			}
			row = append(row, cell)
		}
		writeCSVRow(&buf, row)
	}
	return download(c, "stackfit-workshop-"+w.Code+".csv", "text/csv; charset=utf-8", buf.Bytes())
}

// recommendationText names a recommendation as the pages do.
func recommendationText(side rules.Side) string {
	if side == rules.Tie {
		return "Too close to call"
	}
	return side.Name()
}

// writeCSVRow writes one row (RFC 4180) with every cell quoted and made
// spreadsheetSafe. encoding/csv quotes a cell only when a comma needs it, so
// a name such as ;=1+1; stayed bare and became a formula cell in locales
// where ";" separates cells; quoted, it is one cell of text everywhere.
func writeCSVRow(b *bytes.Buffer, cells []string) {
	for i, cell := range cells {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(spreadsheetSafe(cell), `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteByte('\n')
}

// spreadsheetSafe keeps a cell from being run as a formula when the CSV is
// opened in a spreadsheet (CSV injection; OWASP's advice): a quote goes before
// a formula's first character at the start of the cell, and also after a
// separator or quote, where a program that splits on ";" or ignores the
// quoting would start a new cell.
func spreadsheetSafe(s string) string {
	var b strings.Builder
	for i, r := range s {
		if strings.ContainsRune(formulaStart, r) && (i == 0 || strings.ContainsRune(`,;"`, rune(s[i-1]))) {
			b.WriteByte('\'')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// formulaStart are the characters with which spreadsheets start a formula
// (or, tab and carriage return, shift a cell so that one does).
const formulaStart = "=+-@\t\r\x00"
