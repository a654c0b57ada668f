package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errOut, func(string) string { return "" })
	return code, out.String(), errOut.String()
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		stdin     string
		code      int
		jsonKeys  []string // top-level keys the JSON on stdout must have
		stderrHas string
	}{
		{"questionnaire", []string{"questionnaire"}, "", 0, []string{"ruleset", "sections"}, ""},
		{"criteria", []string{"criteria"}, "", 0, []string{"ruleset", "criteria", "topics"}, ""},
		{"evaluate", []string{"evaluate"}, `{"answers": {"python": "strong", "packages": ["cms"]}}`, 0,
			[]string{"ruleset", "recommendation", "confidence", "scores", "reasons", "flips", "unanswered",
				"unsure", "confidence_reason", "notes"}, ""},
		{"malformed JSON", []string{"evaluate"}, `{"answers": {`, 1, nil, "stackfit evaluate: malformed JSON"},
		{"unknown question", []string{"evaluate"}, `{"answers": {"ruby": "strong"}}`, 1, nil, "answers.ruby: no such question"},
		{"unknown option", []string{"evaluate"}, `{"answers": {"python": "guru"}}`, 1, nil, `answers.python: no option "guru"`},
		{"two answers to a single-choice question", []string{"evaluate"}, `{"answers": {"python": ["strong", "none"]}}`, 1, nil, "answers.python: only one answer allowed"},
		{"unknown command", []string{"evalute"}, "", 2, nil, `unknown command "evalute"`},
		{"missing ruleset file", []string{"criteria", "--ruleset", "/nonexistent.yaml"}, "", 1, nil, "/nonexistent.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.stdin, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if tt.stderrHas != "" {
				if !strings.Contains(stderr, tt.stderrHas) {
					t.Errorf("stderr %q does not contain %q", stderr, tt.stderrHas)
				}
				if code != 0 && strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
					t.Errorf("bad input should give one line on stderr, got:\n%s", stderr)
				}
				if stdout != "" {
					t.Errorf("stdout should be empty on error, got %q", stdout)
				}
			}
			if tt.jsonKeys != nil {
				var got map[string]json.RawMessage
				if err := json.Unmarshal([]byte(stdout), &got); err != nil {
					t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
				}
				for _, k := range tt.jsonKeys {
					if _, ok := got[k]; !ok {
						t.Errorf("JSON has no %q: %s", k, stdout)
					}
				}
				if len(got) != len(tt.jsonKeys) {
					t.Errorf("JSON has %d keys, the contract has %d: %s", len(got), len(tt.jsonKeys), stdout)
				}
			}
		})
	}
}

// A team's own ruleset replaces the built-in one, and a broken one is refused
// with the file and line.
func TestCustomRuleset(t *testing.T) {
	builtin, err := os.ReadFile("../../rules/ruleset.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "ours.yaml")
	os.WriteFile(good, []byte(strings.Replace(string(builtin), "tie_margin: 0.06", "tie_margin: 0.12", 1)), 0o644)
	code, stdout, stderr := runCLI(t, "", "criteria", "--ruleset", good)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, builtinOut, _ := runCLI(t, "", "criteria")
	if stdout == builtinOut {
		t.Error("the custom ruleset gave the built-in ruleset's output (same version)")
	}

	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte(strings.Replace(string(builtin), "criteria: [table-python,", "criteria: [table-pyhton,", 1)), 0o644)
	code, _, stderr = runCLI(t, "", "criteria", "--ruleset", bad)
	if code != 1 || !strings.Contains(stderr, bad+":") || !strings.Contains(stderr, `rule "python-strong": unknown criterion "table-pyhton"`) {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// check-ruleset prints its report either way and exits 1 when a limit breaks,
// so a script can gate on it and still read why.
func TestCheckRuleset(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		code      int
		stderrHas string
	}{
		{"built-in ruleset within its limits", []string{"check-ruleset", "--sample", "2000"}, 0, ""},
		{"a limit it cannot meet", []string{"check-ruleset", "--sample", "2000", "--min-high", "0.99"}, 1, "high confidence in"},
		{"no sample", []string{"check-ruleset", "--sample", "0"}, 2, "--sample must be at least 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, "", tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr, tt.stderrHas) {
				t.Errorf("stderr %q does not contain %q", stderr, tt.stderrHas)
			}
			if code == 2 {
				return
			}
			var report struct {
				Sample   int                `json:"sample"`
				Outcomes map[string]float64 `json:"outcomes"`
				Problems []string           `json:"problems"`
			}
			if err := json.Unmarshal([]byte(stdout), &report); err != nil {
				t.Fatalf("stdout is not the JSON report: %v\n%s", err, stdout)
			}
			if report.Sample != 2000 || len(report.Outcomes) != 3 || (len(report.Problems) > 0) != (code == 1) {
				t.Errorf("report: sample %d, outcomes %v, problems %v", report.Sample, report.Outcomes, report.Problems)
			}
		})
	}
}
