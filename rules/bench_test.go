package rules_test

import (
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// fullAnswers answers every question: the realistic case for a finished questionnaire.
func fullAnswers() rules.Answers {
	return rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=weeks",
		"admin=some", "api=some", "realtime=core", "frontend=spa", "data=lots", "size=medium",
		"users=thousands", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
		"deadline=later", "team_size=medium", "budget=generous", "packages=realtime_libs,validation", "shared_code=no",
		"architecture=not_sure", "services=one")
}

// BenchmarkEvaluate is plain evaluation (reasons, scores, confidence), as the
// questionnaire's side panel runs it on every answer.
func BenchmarkEvaluate(b *testing.B) {
	rs := rulestest.Builtin(b)
	a := fullAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Lean(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateWithFlips adds the analysis of every single-answer change.
func BenchmarkEvaluateWithFlips(b *testing.B) {
	rs := rulestest.Builtin(b)
	a := fullAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Evaluate(a); err != nil {
			b.Fatal(err)
		}
	}
}
