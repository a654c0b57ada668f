package stackfit_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"stackfit"
)

func TestFindWorkshop(t *testing.T) {
	app := newTestApp(t)
	w, key := app.workshop(stackfit.NewWorkshop{Title: "Billing rewrite"})
	closed, _ := app.workshop(stackfit.NewWorkshop{Title: "Last quarter"})
	if _, err := app.Close(t.Context(), closed.Code); err != nil {
		t.Fatal(err)
	}
	typed := strings.ToLower(w.Code[:3] + "-" + w.Code[3:])
	tests := []struct {
		name string
		find func() (stackfit.Workshop, error)
		want string // the code of the workshop found, "" for none
		code string // the error code
	}{
		{"its code", func() (stackfit.Workshop, error) { return app.FindWorkshop(t.Context(), "a", w.Code) }, w.Code, ""},
		{"typed in lower case with a dash", func() (stackfit.Workshop, error) { return app.FindWorkshop(t.Context(), "a", typed) }, w.Code, ""},
		{"an unknown code", func() (stackfit.Workshop, error) { return app.FindWorkshop(t.Context(), "a", "ZZZZZZ") }, "", stackfit.ENOTFOUND},
		{"not a code", func() (stackfit.Workshop, error) { return app.FindWorkshop(t.Context(), "a", "abc") }, "", stackfit.ENOTFOUND},
		{"open: an open one", func() (stackfit.Workshop, error) { return app.OpenWorkshop(t.Context(), "a", w.Code) }, w.Code, ""},
		{"open: a closed one", func() (stackfit.Workshop, error) { return app.OpenWorkshop(t.Context(), "a", closed.Code) }, closed.Code, stackfit.ECLOSED},
		{"facilitate: its key", func() (stackfit.Workshop, error) { return app.Facilitate(t.Context(), "a", typed, key) }, w.Code, ""},
		{"facilitate: another key", func() (stackfit.Workshop, error) { return app.Facilitate(t.Context(), "a", w.Code, key[1:]) }, "", stackfit.EUNAUTHORIZED},
		{"facilitate: an unknown code", func() (stackfit.Workshop, error) { return app.Facilitate(t.Context(), "a", "ZZZZZZ", key) }, "", stackfit.ENOTFOUND},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.find()
			wantCode(t, "lookup", err, tt.code)
			if got.Code != tt.want {
				t.Errorf("found %q, want %q", got.Code, tt.want)
			}
			// An unknown code tells the person what to check.
			if tt.code == stackfit.ENOTFOUND && !strings.Contains(stackfit.ErrorMessage(err), "No workshop has that code") {
				t.Errorf("message %q does not say the code is unknown", stackfit.ErrorMessage(err))
			}
		})
	}
}

// Looking up codes that do not exist is limited per client, so join codes
// cannot be found by trying; while blocked, not even a real code is found.
func TestGuessingCodesIsLimited(t *testing.T) {
	app := newTestApp(t)
	w, _ := app.workshop(stackfit.NewWorkshop{Title: "Billing rewrite"})
	var err error
	tries := 0
	for ; tries < 100; tries++ {
		_, err = app.FindWorkshop(t.Context(), "guesser", "ZZZZZZ")
		if stackfit.ErrorCode(err) == stackfit.ELIMIT {
			break
		}
	}
	if tries < 5 || tries >= 100 {
		t.Fatalf("limited after %d unknown codes, want a few dozen", tries)
	}
	if wait := stackfit.RetryAfter(err); wait <= 0 || wait > 3*time.Second {
		t.Errorf("RetryAfter = %v, want up to 3s (one code every 3 s)", wait)
	}
	if _, err := app.FindWorkshop(t.Context(), "guesser", w.Code); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Errorf("a blocked client found a real code: %v", err)
	}
	if _, err := app.FindWorkshop(t.Context(), "colleague", w.Code); err != nil {
		t.Errorf("another client is blocked too: %v", err)
	}
}

// Every change to a workshop reaches those watching it, once, and only
// after it is stored; a refused change tells nobody.
func TestWorkshopChangesArePublished(t *testing.T) {
	app := newTestApp(t)
	ctx := t.Context()
	w, _ := app.workshop(stackfit.NewWorkshop{Title: "Billing rewrite"})
	evs, stop := app.Subscribe(w.Code)
	defer stop()
	var joined stackfit.Participant
	tests := []struct {
		name        string
		do          func() (participant string, err error)
		kind        stackfit.EventKind // "" for no event
		errCode     string
		participant bool // the event names the participant
	}{
		{"join", func() (string, error) {
			var err error
			joined, err = app.Join(ctx, client, w.Code, "Ann")
			return joined.ID, err
		}, stackfit.EventJoined, "", true},
		{"submit", func() (string, error) {
			p, err := app.Submit(ctx, client, w.Code, joined.ID, app.complete())
			return p.ID, err
		}, stackfit.EventSubmitted, "", true},
		{"join and submit at once", func() (string, error) {
			p, err := app.JoinAndSubmit(ctx, client, w.Code, "Bob", app.complete())
			return p.ID, err
		}, stackfit.EventSubmitted, "", true},
		{"submit answers the questionnaire does not offer", func() (string, error) {
			_, err := app.Submit(ctx, client, w.Code, joined.ID, app.offTheList())
			return "", err
		}, "", stackfit.EINVALID, false},
		{"reveal", func() (string, error) { _, err := app.Reveal(ctx, w.Code); return "", err }, stackfit.EventRevealed, "", false},
		{"reveal again", func() (string, error) { _, err := app.Reveal(ctx, w.Code); return "", err }, stackfit.EventRevealed, "", false},
		{"close", func() (string, error) { _, err := app.Close(ctx, w.Code); return "", err }, stackfit.EventClosed, "", false},
		{"join once closed", func() (string, error) { _, err := app.Join(ctx, client, w.Code, "Late"); return "", err }, "", stackfit.ECLOSED, false},
		{"submit once closed", func() (string, error) {
			_, err := app.Submit(ctx, client, w.Code, joined.ID, app.complete())
			return "", err
		}, "", stackfit.ECLOSED, false},
		{"reopen", func() (string, error) { _, err := app.Reopen(ctx, w.Code); return "", err }, stackfit.EventReopened, "", false},
		{"submit once reopened", func() (string, error) {
			p, err := app.Submit(ctx, client, w.Code, joined.ID, app.complete())
			return p.ID, err
		}, stackfit.EventSubmitted, "", true},
		{"hide", func() (string, error) { _, err := app.Hide(ctx, w.Code); return "", err }, stackfit.EventHidden, "", false},
		{"reopen an unknown workshop", func() (string, error) { _, err := app.Reopen(ctx, "ZZZZZZ"); return "", err }, "", stackfit.ENOTFOUND, false},
		{"hide an unknown workshop", func() (string, error) { _, err := app.Hide(ctx, "ZZZZZZ"); return "", err }, "", stackfit.ENOTFOUND, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, err := tt.do()
			wantCode(t, tt.name, err, tt.errCode)
			select {
			case e := <-evs:
				if tt.kind == "" {
					t.Fatalf("published %+v, want nothing", e)
				}
				if e.Kind != tt.kind || (tt.participant && e.Participant != id) {
					t.Errorf("published %+v, want %s for %q", e, tt.kind, id)
				}
			case <-time.After(50 * time.Millisecond):
				if tt.kind != "" {
					t.Errorf("nothing published, want %s", tt.kind)
				}
			}
		})
	}
}

// The team is everyone who joined; its answers are those who submitted.
func TestSummarize(t *testing.T) {
	app := newTestApp(t)
	ctx := t.Context()
	w, _ := app.workshop(stackfit.NewWorkshop{Title: "Billing rewrite"})
	ann, err := app.Join(ctx, client, w.Code, "Ann")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Join(ctx, client, w.Code, "Bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := app.Submit(ctx, client, w.Code, ann.ID, app.complete()); err != nil {
		t.Fatal(err)
	}
	team, err := app.Summarize(ctx, w.Code)
	if err != nil {
		t.Fatal(err)
	}
	_, ev, err := app.Decide(app.complete())
	if err != nil {
		t.Fatal(err)
	}
	// Two joins in one millisecond may list in either order.
	submitted := map[string]bool{}
	for _, p := range team.Participants {
		submitted[p.Name] = p.Submitted
	}
	switch {
	case len(team.Participants) != 2 || !submitted["Ann"] || submitted["Bob"]:
		t.Errorf("participants %+v, want Ann (submitted) and Bob", team.Participants)
	case team.Summary.Responses != 1:
		t.Errorf("%d responses, want 1", team.Summary.Responses)
	case team.Summary.Evaluation.Recommendation != ev.Recommendation:
		t.Errorf("the team of one recommends %s, Ann's answers %s", team.Summary.Evaluation.Recommendation, ev.Recommendation)
	}
	if _, err := app.Summarize(ctx, "ZZZZZZ"); stackfit.ErrorCode(err) != stackfit.ENOTFOUND {
		t.Errorf("unknown workshop: %v, want ENOTFOUND", err)
	}
}

func TestDisplayName(t *testing.T) {
	tests := []struct {
		anonymous bool
		name      string
		i         int
		want      string
	}{
		{false, "Ann", 0, "Ann"},
		{false, "", 2, "Participant 3"}, // joined through the API without a name
		{true, "Ann", 0, "Participant 1"},
	}
	for _, tt := range tests {
		w := stackfit.Workshop{Anonymous: tt.anonymous}
		if got := w.DisplayName(stackfit.Participant{Name: tt.name}, tt.i); got != tt.want {
			t.Errorf("anonymous %v, %q, #%d: %q, want %q", tt.anonymous, tt.name, tt.i, got, tt.want)
		}
	}
}

// An IPv6 client changing the low 64 bits of its address is still one
// client to the limits: its neighbours in the /64 share its allowance, the
// next /64 does not.
func TestLimitsCountAnIPv6Subscriber(t *testing.T) {
	limits := stackfit.DefaultLimits()
	limits.Workshops = stackfit.Rate{Burst: 1, PerMinute: 1}
	app := newTestApp(t, stackfit.WithLimits(limits))
	nw := stackfit.NewWorkshop{Title: "Billing rewrite"}
	if _, _, err := app.CreateWorkshop(t.Context(), "2001:db8:1:2::1", nw); err != nil {
		t.Fatal(err)
	}
	if _, _, err := app.CreateWorkshop(t.Context(), "2001:db8:1:2:ffff::9", nw); stackfit.ErrorCode(err) != stackfit.ELIMIT {
		t.Errorf("a neighbour in the /64 created a workshop past the limit: %v", err)
	}
	if _, _, err := app.CreateWorkshop(t.Context(), "2001:db8:1:3::1", nw); err != nil {
		t.Errorf("the next /64 is another client: %v", err)
	}
	for i := range 100 {
		_, err := app.FindWorkshop(t.Context(), fmt.Sprintf("2001:db8:9:9::%x", i+1), "ZZZZZZ")
		if stackfit.ErrorCode(err) == stackfit.ELIMIT {
			return
		}
	}
	t.Error("100 unknown codes from 100 addresses of one /64 were never limited")
}
