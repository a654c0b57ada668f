package rules_test

import (
	"strings"
	"testing"

	"stackfit/rules/rulestest"
)

// Every quote is the document's own words, so a reader can find it there.
func TestQuotesAreVerbatim(t *testing.T) {
	rs := rulestest.Builtin(t)
	doc := rs.Document()
	if doc == "" {
		t.Fatal("the built-in ruleset has no document")
	}
	for _, c := range rs.Criteria {
		if !strings.Contains(doc, c.Quote) {
			t.Errorf("criterion %s: quote %q is not in the document", c.ID, c.Quote)
		}
	}
}

// The catalogue takes in every row of the comparison table and every listed pro and con.
func TestCatalogueCoversTheDocument(t *testing.T) {
	rs := rulestest.Builtin(t)
	doc := rs.Document()
	quoted := map[string]bool{}
	notes := ""
	for _, c := range rs.Criteria {
		quoted[c.Quote] = true
		notes += c.Note + "\n"
	}
	// Table rows: the text between the heading and the next heading, one row a line.
	table := doc[strings.Index(doc, "Difference Between Node.js and Django"):strings.Index(doc, "Architectural Comparision")]
	rows := strings.Split(strings.TrimSpace(table), "\n")[1:]
	var nonEmpty []string
	for _, r := range rows {
		if strings.TrimSpace(r) != "" {
			nonEmpty = append(nonEmpty, r)
		}
	}
	if len(nonEmpty) != 18 {
		t.Fatalf("found %d table rows, want 18", len(nonEmpty))
	}
	// The extracted text runs the two cells together ("Less ScalableMore
	// Scalable"): a row is covered when one quote is its start, another its
	// end, and together they make the whole row.
	for i, row := range nonEmpty {
		covered := false
		for q := range quoted {
			if rest, ok := strings.CutPrefix(row, q); ok && rest != "" && quoted[rest] {
				covered = true
			}
		}
		if !covered {
			t.Errorf("table row %d %q: both cells must be quoted, each by a criterion", i+1, row)
		}
	}
	if !quoted["JavaScript Everywhere"] {
		t.Error(`the "JavaScript Everywhere" principle has no criterion`)
	}
	// Bulleted pros and cons: Django 5 + 3, Node.js 3 + 6.
	items := 0
	for _, line := range strings.Split(doc, "\n") {
		if item, ok := strings.CutPrefix(strings.TrimSpace(line), "• "); ok {
			items++
			if !quoted[item] {
				t.Errorf("list item %q: no criterion quotes it", item)
			}
		}
	}
	if items != 17 {
		t.Errorf("found %d pros and cons, want 17", items)
	}
	// The contradictions the issue names are recorded, not dropped.
	for _, pair := range [][2]string{{"High Performance", "More Scalable"}, {"Small Community", "10,000 packages"}} {
		if !strings.Contains(notes, pair[0]) || !strings.Contains(notes, pair[1]) {
			t.Errorf("no note reads %q beside %q", pair[0], pair[1])
		}
	}
}
