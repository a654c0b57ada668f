package rules_test

import (
	"bytes"
	"encoding/json"
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

// openAnswers leaves a third of the questions open, so that confidence must
// also bound what the open answers could do.
func openAnswers() rules.Answers {
	return rulestest.Answers("python=strong", "javascript=none", "experience=django", "admin=central", "compliance=yes",
		"auth=roles", "deadline=soon", "frontend=pages", "data=lots", "shared_code=no", "realtime=no",
		"connections=few", "api=no", "learning=not_sure", "size=not_sure", "users=not_sure", "spikes=not_sure",
		"budget=not_sure", "packages=not_sure", "architecture=not_sure", "services=not_sure", "sensitive=not_sure")
}

// BenchmarkEvaluate is the plain evaluation, issue 11's "under 5 µs": the
// recommendation, its reasons, the open answers and the notes, without
// trying other answers (flips, confidence).
func BenchmarkEvaluate(b *testing.B) {
	rs := rulestest.Builtin(b)
	a := fullAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.EvaluatePlain(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateWithFlips is everything the result page needs: the
// recommendation, its reasons, every single-answer change that would change
// it, and the confidence that follows from them.
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

// BenchmarkEvaluateOpen is the same with eleven open answers to bound.
func BenchmarkEvaluateOpen(b *testing.B) {
	rs := rulestest.Builtin(b)
	a := openAnswers()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rs.Evaluate(a); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeRequest reads a finished questionnaire's body as the API
// does, the UTF-8 check included.
func BenchmarkDecodeRequest(b *testing.B) {
	body, err := json.Marshal(rules.Request{Answers: fullAnswers()})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rules.DecodeRequest(bytes.NewReader(body)); err != nil {
			b.Fatal(err)
		}
	}
}
