package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/api"
	"stackfit/record"
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
	return download(c, "stackfit-workshop-"+w.Code+".json", echo.MIMEApplicationJSONCharsetUTF8, body)
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

// exportCSV has one row per participant and one column per question, with
// option ids (stable, unlike labels) and ";" between ticked options.
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
	out := csv.NewWriter(&buf)
	header := []string{"participant", "submitted_at", "recommendation", "confidence"}
	questions := s.rules.Questions()
	for _, q := range questions {
		header = append(header, q.ID)
	}
	out.Write(header)
	for i, p := range parts {
		row := []string{spreadsheetSafe(w.DisplayName(p, i)), "", "", ""}
		if p.Submitted {
			row[1] = p.SubmittedAt.UTC().Format(time.RFC3339)
			row[2], row[3] = string(p.Evaluation.Recommendation), string(p.Evaluation.Confidence)
		}
		for _, q := range questions {
			row = append(row, strings.Join(p.Answers[q.ID].Options, ";"))
		}
		out.Write(row)
	}
	out.Flush()
	if err := out.Error(); err != nil {
		return err
	}
	return download(c, "stackfit-workshop-"+w.Code+".csv", "text/csv; charset=utf-8", buf.Bytes())
}

// spreadsheetSafe keeps a name from being run as a formula when the CSV is
// opened in a spreadsheet (CSV injection).
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
