package rules_test

import (
	"slices"
	"strings"
	"testing"

	"stackfit/rules"
	"stackfit/rules/rulestest"
)

// Personas written from the document: who would pick what, how sure stackfit
// may be, and why. "not" confidences are what a persona must never get.
func TestPersonas(t *testing.T) {
	rs := rulestest.Builtin(t)
	tests := []struct {
		name          string
		answers       rules.Answers
		want          rules.Side
		confidence    rules.Confidence // "" when only notConfidence matters
		notConfidence rules.Confidence
		reasonSays    string   // a phrase of confidence_reason
		reasons       []string // rules that must count
		notReasons    []string // rules that must not count
		flipsTo       []rules.Side
		notes         []string // note questions, in order
	}{
		{
			name: "Python team on a tight deadline building an admin-heavy site",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "frameworks=none", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=no",
				"deadline=soon", "team_size=small", "budget=tight", "packages=cms", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.High, reasonSays: "no single answer could change this",
			reasons:    []string{"python-strong", "admin-central", "tight-deadline", "django-experience"},
			notReasons: []string{"javascript-strong", "realtime-core", "accounts-with-roles"}, // roles counts once, as many users with roles
		},
		{
			name: "JavaScript team building real-time chat for many concurrent users",
			answers: rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "frameworks=express_nestjs", "learning=weeks",
				"admin=no", "api=some", "realtime=core", "frontend=spa", "data=little", "size=medium",
				"users=millions", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=medium", "budget=generous", "packages=realtime_libs", "shared_code=yes",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, confidence: rules.High,
			reasons:    []string{"realtime-core", "many-connections", "javascript-strong", "shared-code", "no-python"},
			notReasons: []string{"traffic-spikes", "single-page-app"}, // one claim, counted once: scale and one language
		},
		{
			// The document calls Python a prerequisite for Django: a back office and
			// audits speak for Django, a team without Python on a deadline against it.
			name: "No Python, strong JavaScript, shipped Node.js, tight deadline, regulated back office",
			answers: rulestest.Answers("python=none", "javascript=strong", "experience=nodejs", "frameworks=none", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=yes",
				"deadline=soon", "team_size=small", "budget=moderate", "packages=cms", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.Low, notConfidence: rules.High,
			reasonSays: "your team does not know Python",
			reasons:    []string{"no-python-on-a-deadline", "javascript-strong", "admin-central", "audits"},
			notReasons: []string{"tight-deadline", "newcomers-short-learning"}, // speed and learning need Python
			flipsTo:    []rules.Side{rules.Tie},
		},
		{
			name: "No JavaScript, strong Python, a real-time dashboard for thousands of connections",
			answers: rulestest.Answers("python=strong", "javascript=none", "experience=django", "frameworks=none", "learning=weeks",
				"admin=no", "api=some", "realtime=core", "frontend=spa", "data=little", "size=medium",
				"users=thousands", "connections=thousands", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=soon", "team_size=small", "budget=generous", "packages=realtime_libs", "shared_code=yes",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, notConfidence: rules.High, reasonSays: "your team does not know JavaScript",
			reasons: []string{"realtime-core", "many-connections", "python-strong", "no-javascript-on-a-deadline", "tight-deadline"},
		},
		{
			name: "Not sure about Python, everything else speaks for Django",
			answers: rulestest.Answers("python=not_sure", "javascript=none", "experience=neither", "frameworks=none", "learning=months",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=lots", "size=large",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=yes",
				"deadline=later", "team_size=large", "budget=tight", "packages=cms,validation", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.Medium,
			reasonSays: "Medium: no single answer could change this, but your team does not know Python (or is not sure), which Django needs.",
			notReasons: []string{"python-strong", "python-some", "no-python"}, // "not sure" scores nothing
		},
		{
			name: "A clear-cut Python team with eleven open answers that cannot change it",
			answers: rulestest.Answers("python=strong", "javascript=none", "experience=django", "admin=central", "compliance=yes",
				"auth=roles", "deadline=soon", "frontend=pages", "data=lots", "shared_code=no", "realtime=no",
				"connections=few", "api=no",
				"learning=not_sure", "size=not_sure", "users=not_sure", "spikes=not_sure", "budget=not_sure",
				"packages=not_sure", "architecture=not_sure", "services=not_sure", "sensitive=not_sure"),
			want: rules.Django, confidence: rules.High,
			reasonSays: "High: no single answer, and none of your 11 open answers, could change this.",
		},
		{
			name: "A clear-cut Python team with one open answer",
			answers: rulestest.Answers("python=strong", "javascript=none", "experience=django", "frameworks=none", "learning=days",
				"admin=central", "api=no", "realtime=no", "frontend=pages", "data=lots", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=yes",
				"deadline=soon", "team_size=small", "budget=not_sure", "packages=cms", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.High,
			reasonSays: "High: no single answer could change this, not even your one open answer.",
		},
		{
			name: "A Python team leaning Django, with the decisive product questions open",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "admin=central", "compliance=yes",
				"auth=roles", "deadline=soon", "team_size=small", "shared_code=no",
				"realtime=not_sure", "connections=not_sure", "api=not_sure", "frontend=not_sure", "spikes=not_sure",
				"architecture=not_sure", "services=not_sure", "size=not_sure", "packages=not_sure", "budget=not_sure"),
			want: rules.Django, confidence: rules.Medium, reasonSays: "open answers could if they went the other way",
		},
		{
			name: "A team that knows both, building real-time features and a back office: split",
			answers: rulestest.Answers("python=strong", "javascript=strong", "experience=both", "frameworks=none", "learning=months",
				"admin=central", "api=some", "realtime=core", "frontend=spa", "data=some", "size=medium",
				"users=thousands", "connections=hundreds", "spikes=no", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=medium", "budget=moderate", "packages=cms,realtime_libs", "shared_code=nice",
				"architecture=conventions", "services=one"),
			want: rules.Tie, confidence: rules.Low, reasonSays: "too close to call",
			flipsTo: []rules.Side{rules.Django, rules.NodeJS},
		},
		{
			name: "API-first product by a JavaScript team",
			answers: rulestest.Answers("python=some", "javascript=strong", "experience=nodejs", "frameworks=none", "learning=weeks",
				"admin=no", "api=core", "realtime=some", "frontend=api_only", "data=some", "size=small",
				"users=millions", "connections=hundreds", "spikes=yes", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=small", "budget=moderate", "packages=api_toolkit", "shared_code=nice",
				"architecture=freedom", "services=several"),
			want: rules.NodeJS, confidence: rules.High,
			reasons:    []string{"api-is-the-product", "large-api-platform", "javascript-strong", "several-services"},
			notReasons: []string{"api-without-front-end"}, // the API claim counts once
		},
		{
			name: "Regulated health records system by a Python team",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=django", "frameworks=flask_fastapi", "learning=weeks",
				"admin=central", "api=some", "realtime=no", "frontend=pages", "data=lots", "size=large",
				"users=thousands", "connections=few", "spikes=no", "auth=roles", "sensitive=yes", "compliance=yes",
				"deadline=later", "team_size=large", "budget=moderate", "packages=cms,validation", "shared_code=no",
				"architecture=conventions", "services=one"),
			want: rules.Django, confidence: rules.High,
			reasons:    []string{"audits", "many-users-with-roles", "data-heavy", "admin-central"},
			notReasons: []string{"sensitive-data", "large-team"}, // security and structure count once
		},
		{
			name: "Newcomers to both frameworks with a little of each language, a plain web app",
			answers: rulestest.Answers("python=some", "javascript=some", "experience=neither", "frameworks=none", "learning=weeks",
				"admin=some", "api=some", "realtime=no", "frontend=pages", "data=some", "size=medium",
				"users=thousands", "connections=few", "spikes=no", "auth=basic", "sensitive=no", "compliance=no",
				"deadline=months", "team_size=small", "budget=moderate", "packages=validation", "shared_code=no",
				"architecture=conventions", "services=one"),
			// The document rates Django easy to learn and Node.js comparatively difficult.
			want: rules.Django, confidence: rules.High,
			reasons: []string{"newcomers-short-learning", "python-some", "javascript-some"},
		},
		{
			name:    "A JavaScript team whose Python is unknown is not told Django is easy to learn",
			answers: rulestest.Answers("python=not_sure", "javascript=strong", "experience=neither", "learning=days", "deadline=soon"),
			want:    rules.NodeJS, notConfidence: rules.High,
			notReasons: []string{"newcomers-short-learning", "tight-deadline", "no-python"},
		},
		{
			name: "Every answer not sure",
			answers: rulestest.Answers("python=not_sure", "javascript=not_sure", "learning=not_sure", "admin=not_sure",
				"api=not_sure", "realtime=not_sure", "frontend=not_sure", "data=not_sure", "size=not_sure",
				"users=not_sure", "connections=not_sure", "spikes=not_sure", "sensitive=not_sure",
				"compliance=not_sure", "deadline=not_sure", "budget=not_sure", "packages=not_sure",
				"architecture=not_sure", "services=not_sure"),
			want: rules.Tie, confidence: rules.Low, flipsTo: []rules.Side{rules.Django, rules.NodeJS},
		},
		{
			name:    "Nothing answered",
			answers: rules.Answers{},
			want:    rules.Tie, confidence: rules.Low,
		},
		{
			name: "Notes beyond the document do not score",
			answers: rulestest.Answers("python=strong", "javascript=some", "experience=neither", "admin=some", "api=some",
				"frontend=pages", "data=lots", "ml=yes", "cpu=yes", "existing=python", "serverless=no", "hiring=no"),
			want:  rules.Django,
			notes: []string{"cpu", "ml", "existing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := rs.Evaluate(tt.answers)
			if err != nil {
				t.Fatalf("Evaluate: %v", err)
			}
			if ev.Recommendation != tt.want || (tt.confidence != "" && ev.Confidence != tt.confidence) {
				t.Errorf("got %s with %s confidence (django %d, nodejs %d), want %s with %s confidence",
					ev.Recommendation, ev.Confidence, ev.Scores.Django, ev.Scores.NodeJS, tt.want, tt.confidence)
			}
			if tt.notConfidence != "" && ev.Confidence == tt.notConfidence {
				t.Errorf("got %s with %s confidence: %s", ev.Recommendation, ev.Confidence, ev.ConfidenceReason)
			}
			if !strings.Contains(ev.ConfidenceReason, tt.reasonSays) {
				t.Errorf("confidence reason %q does not say %q", ev.ConfidenceReason, tt.reasonSays)
			}
			counted := firedRules(ev)
			for _, r := range tt.reasons {
				if !slices.Contains(counted, r) {
					t.Errorf("rule %s does not count; counted: %v", r, counted)
				}
			}
			for _, r := range tt.notReasons {
				if slices.Contains(counted, r) {
					t.Errorf("rule %s counts but should not", r)
				}
			}
			for _, side := range tt.flipsTo {
				if !slices.ContainsFunc(ev.Flips, func(f rules.Flip) bool { return f.Recommendation == side }) {
					t.Errorf("no flip leads to %s: %v", side, ev.Flips)
				}
			}
			var notes []string
			for _, n := range ev.Notes {
				notes = append(notes, n.Question)
			}
			if !slices.Equal(notes, tt.notes) {
				t.Errorf("notes from %v, want %v", notes, tt.notes)
			}
			if len(tt.notes) > 0 {
				without := rulestest.Answers()
				for q, c := range tt.answers {
					if qq, _ := rs.Question(q); !qq.NoteOnly {
						without[q] = c
					}
				}
				plain, _ := rs.Evaluate(without)
				if plain.Scores != ev.Scores {
					t.Errorf("notes changed the scores: %+v without them, %+v with", plain.Scores, ev.Scores)
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
