package record_test

import (
	"strings"
	"testing"

	"stackfit/record"
	"stackfit/rules"
)

// TestOutcomePercentagesAddUp: the record rounds as the result page does,
// so 5 to 3 reads 63 % against 37 %, never 63 % against 38 %.
func TestOutcomePercentagesAddUp(t *testing.T) {
	ev := &rules.Evaluation{Recommendation: rules.NodeJS, Confidence: rules.Medium, Scores: rules.Scores{Django: 3, NodeJS: 5}}
	md := string(record.Markdown(record.Decision{Evaluation: ev}))
	if want := "weigh 63% for Node.js against 37% for Django"; !strings.Contains(md, want) {
		t.Errorf("record lacks %q:\n%s", want, md)
	}
}
