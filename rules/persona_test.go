package rules_test

import (
	"slices"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// Personas written from the document: who would pick what, and why.
func TestPersonas(t *testing.T) {
	rs := rulestest.Builtin(t)
	tests := []struct {
		name       string
		answers    rules.Answers
		want       rules.Side
		confidence rules.Confidence
		reasons    []string // rules that must fire
		notReasons []string // rules that must not fire
	}{
		{
			name: "Python team on a tight deadline building an admin-heavy site",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=no",
				"deadline=soon", "team_size=small", "budget=tight", "packages=cms", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.High,
			reasons:    []string{"python-strong", "admin-central", "tight-deadline", "django-experience", "sensitive-data"},
			notReasons: []string{"javascript-strong", "realtime-core"},
		},
		{
			name: "JavaScript team building real-time chat for many concurrent users",
			answers: rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "learning=weeks",
				"admin=no", "api=some", "realtime=core", "frontend=spa", "data=little", "size=medium",
				"users=millions", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=medium", "budget=generous", "packages=realtime_libs", "shared_code=yes",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, confidence: rules.High,
			reasons:    []string{"realtime-core", "many-connections", "javascript-strong", "shared-code", "no-python"},
			notReasons: []string{"python-strong", "admin-central"},
		},
		{
			name: "Team new to both, some Python and some JavaScript, a plain web app",
			answers: rulestest.Answers("python=some", "javascript=some", "experience=neither", "learning=weeks",
				"admin=some", "api=some", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=small", "budget=moderate", "packages=validation", "shared_code=no",
				"architecture=conventions", "services=one"),
			// The document rates Django easy to learn and Node.js comparatively difficult.
			want: rules.Django, confidence: rules.High,
			reasons: []string{"newcomers-short-learning", "javascript-newcomers", "python-first-framework", "javascript-first-framework"},
		},
		{
			name: "Every answer not sure",
			answers: rulestest.Answers("python=not_sure", "javascript=not_sure", "learning=not_sure", "admin=not_sure",
				"api=not_sure", "realtime=not_sure", "frontend=not_sure", "data=not_sure", "size=not_sure",
				"users=not_sure", "connections=not_sure", "spikes=not_sure", "sensitive=not_sure",
				"compliance=not_sure", "deadline=not_sure", "budget=not_sure", "packages=not_sure",
				"architecture=not_sure", "services=not_sure"),
			want: rules.Tie, confidence: rules.Low,
		},
		{
			name:    "Nothing answered",
			answers: rules.Answers{},
			want:    rules.Tie, confidence: rules.Low,
		},
		{
			name: "API-first product by a JavaScript team",
			answers: rulestest.Answers("python=some", "javascript=strong", "experience=nodejs", "learning=weeks",
				"admin=no", "api=core", "realtime=some", "frontend=spa", "data=some", "size=small",
				"users=millions", "connections=hundreds", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=small", "budget=moderate", "packages=api_toolkit", "shared_code=nice",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, confidence: rules.High,
			reasons: []string{"api-is-the-product", "large-api-platform", "javascript-strong", "several-services"},
		},
		{
			name: "Regulated health records system by a Python team",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=weeks",
				"admin=central", "api=some", "realtime=no", "frontend=pages", "data=lots", "size=large",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=yes",
				"deadline=later", "team_size=large", "budget=moderate", "packages=cms,validation", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.High,
			reasons: []string{"audits", "sensitive-data", "accounts-with-roles", "large-team", "data-heavy"},
		},
		{
			name: "Small microservices by a JavaScript team that wants freedom",
			answers: rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "learning=days",
				"admin=no", "api=some", "realtime=some", "frontend=spa", "data=little", "size=small",
				"users=thousands", "connections=hundreds", "spikes=yes", "auth=none", "sensitive=no", "compliance=no",
				"deadline=later", "team_size=small", "budget=generous", "packages=frontend_tooling", "shared_code=yes",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, confidence: rules.High,
			reasons: []string{"small-app", "several-services", "own-architecture", "realtime-libraries"},
		},
		{
			name: "JavaScript team building an admin-heavy content site fast: torn",
			answers: rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=no", "compliance=no",
				"deadline=soon", "team_size=small", "budget=moderate", "packages=cms", "shared_code=nice",
				"architecture=not_sure", "services=one"),
			want: rules.Django, confidence: rules.Low,
			reasons:    []string{"javascript-strong", "admin-central", "no-python", "no-python-on-a-deadline"},
			notReasons: []string{"tight-deadline"},
		},
		{
			name: "Python team that needs a live dashboard for many connections: close",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "learning=weeks",
				"admin=some", "api=some", "realtime=core", "frontend=spa", "data=lots", "size=medium",
				"users=thousands", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=later", "team_size=medium", "budget=generous", "packages=realtime_libs", "shared_code=no",
				"architecture=not_sure", "services=one"),
			want: rules.Tie, confidence: rules.Low,
			reasons: []string{"python-strong", "realtime-core", "many-connections", "data-heavy"},
		},
		{
			name: "Half the answers not sure lowers confidence though Django leads",
			answers: rulestest.Answers("python=strong", "javascript=none", "experience=django", "admin=central",
				"deadline=soon", "auth=roles", "team_size=small", "shared_code=no",
				"learning=not_sure", "api=not_sure", "realtime=not_sure", "frontend=not_sure", "data=not_sure",
				"size=not_sure", "users=not_sure", "connections=not_sure", "spikes=not_sure",
				"sensitive=not_sure", "compliance=not_sure", "budget=not_sure"),
			want: rules.Django, confidence: rules.Low,
			reasons: []string{"python-strong", "admin-central", "tight-deadline"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := rs.Evaluate(tt.answers)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if ev.Recommendation != tt.want || ev.Confidence != tt.confidence {
				t.Errorf("got %s with %s confidence (django %d, nodejs %d), want %s with %s confidence",
					ev.Recommendation, ev.Confidence, ev.Scores.Django, ev.Scores.NodeJS, tt.want, tt.confidence)
			}
			fired := firedRules(ev)
			for _, r := range tt.reasons {
				if !slices.Contains(fired, r) {
					t.Errorf("rule %s did not fire; fired: %v", r, fired)
				}
			}
			for _, r := range tt.notReasons {
				if slices.Contains(fired, r) {
					t.Errorf("rule %s fired but should not have", r)
				}
			}
		})
	}
}

func firedRules(ev *rules.Evaluation) []string {
	var ids []string
	for _, r := range ev.Reasons {
		ids = append(ids, r.Rule)
	}
	return ids
}
