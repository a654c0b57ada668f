package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"sync"
)

// site is what the measured requests need from a running stackfit.
type site struct {
	sections  []section
	answers   map[string]any // one answer to every question, for the API
	resultIDs []string
	cookie    string // a session that has answered the steps before midStep
	csrf      string // the form token that goes with cookie
	midStep   string
}

type section struct {
	ID        string `json:"id"`
	Questions []struct {
		ID       string `json:"id"`
		Multiple bool   `json:"multiple"`
		Options  []struct {
			ID string `json:"id"`
		} `json:"options"`
	} `json:"questions"`
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// prepare reads the questionnaire, stores n results with random answers and
// walks a session through the first half of the wizard.
func prepare(ctx context.Context, base string, n int) (*site, error) {
	var q struct {
		Sections []section `json:"sections"`
	}
	if err := call(ctx, http.DefaultClient, http.MethodGet, base+"/api/v1/questionnaire", nil, http.StatusOK, &q); err != nil {
		return nil, err
	}
	if len(q.Sections) < 2 {
		return nil, fmt.Errorf("the questionnaire has %d sections, the bench needs two", len(q.Sections))
	}
	s := &site{sections: q.Sections, answers: map[string]any{}, midStep: q.Sections[len(q.Sections)/2].ID}
	for _, sec := range s.sections {
		for _, question := range sec.Questions {
			if question.Multiple {
				s.answers[question.ID] = []string{question.Options[0].ID}
			} else {
				s.answers[question.ID] = question.Options[0].ID
			}
		}
	}
	if err := s.seed(ctx, base, n); err != nil {
		return nil, err
	}
	return s, s.walk(ctx, base)
}

// seed stores n results, a few at a time, each with its own random answers.
func (s *site) seed(ctx context.Context, base string, n int) error {
	rng := rand.New(rand.NewPCG(2026, 11))
	bodies := make([]map[string]any, n)
	for i := range bodies {
		answers := map[string]any{}
		for _, sec := range s.sections {
			for _, question := range sec.Questions {
				pick := question.Options[rng.IntN(len(question.Options))].ID
				if question.Multiple {
					answers[question.ID] = []string{pick}
				} else {
					answers[question.ID] = pick
				}
			}
		}
		bodies[i] = map[string]any{"answers": answers}
	}
	ids := make([]string, n)
	errs := make([]error, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for i := range next {
				var created struct {
					ID string `json:"id"`
				}
				errs[i] = call(ctx, http.DefaultClient, http.MethodPost, base+"/api/v1/results", bodies[i], http.StatusCreated, &created)
				ids[i] = created.ID
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return fmt.Errorf("seed: %w", err)
		}
	}
	s.resultIDs = ids
	return nil
}

// walk answers each step before midStep through the pages, as a browser
// does, and keeps the session cookie and CSRF token it ends with.
func (s *site) walk(ctx context.Context, base string) error {
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, sec := range s.sections {
		page, err := fetch(ctx, client, base+"/q/"+sec.ID)
		if err != nil {
			return err
		}
		m := csrfField.FindStringSubmatch(page)
		if m == nil {
			return fmt.Errorf("no CSRF field on /q/%s", sec.ID)
		}
		s.csrf = m[1]
		if sec.ID == s.midStep {
			break
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/q/"+sec.ID, strings.NewReader(s.stepForm(sec.ID)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			return fmt.Errorf("POST /q/%s: %s, want 303", sec.ID, res.Status)
		}
	}
	u, _ := url.Parse(base)
	var pairs []string
	for _, c := range jar.Cookies(u) {
		pairs = append(pairs, c.Name+"="+c.Value)
	}
	s.cookie = strings.Join(pairs, "; ")
	return nil
}

// stepForm is the form a person sends from step id, with the CSRF token.
func (s *site) stepForm(id string) string {
	form := url.Values{"_csrf": {s.csrf}, "nav": {"next"}}
	for _, sec := range s.sections {
		if sec.ID != id {
			continue
		}
		for _, question := range sec.Questions {
			form.Set(question.ID, question.Options[0].ID)
		}
	}
	return form.Encode()
}

func fetch(ctx context.Context, client *http.Client, u string) (string, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	res, err := client.Do(req)
	if err != nil {
		return "", err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return "", fmt.Errorf("GET %s: %s", u, res.Status)
	}
	return string(body), err
}

// call sends body as JSON (when not nil) and decodes the reply into out.
func call(ctx context.Context, client *http.Client, method, u string, body any, want int, out any) error {
	var r io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		r = bytes.NewReader(data)
	}
	req, _ := http.NewRequestWithContext(ctx, method, u, r)
	req.Header.Set("Content-Type", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %s, want %d: %.200s", method, u, res.Status, want, data)
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}
