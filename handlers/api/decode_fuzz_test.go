package api

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"stackfit/rules"
)

// refusal checks that err is one the API answers with 400 and a message:
// the JSON's fault, never a server error.
func refusal(t *testing.T, err error) {
	t.Helper()
	var ae *rules.AnswerError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &he) && he.Code == http.StatusBadRequest && he.Message != "":
	default:
		t.Fatalf("error %T %v, want an AnswerError or a 400", err, err)
	}
}

// clean tells whether s is text the API may store: UTF-8 without control
// characters (but line breaks and tabs where multiline) or format characters
// (direction, zero-width), and U+FFFD only where the body wrote one.
func clean(s string, multiline bool, body []byte) bool {
	wroteFFFD := bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
	return utf8.ValidString(s) && (wroteFFFD || !strings.ContainsRune(s, utf8.RuneError)) &&
		strings.IndexFunc(s, func(r rune) bool {
			if multiline && (r == '\n' || r == '\t') {
				return false
			}
			return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
		}) < 0
}

var invalidTextSeeds = []string{
	"{\"title\": \"Kick\xffoff\", \"context\": \"x\"}",
	"{\"title\": \"Kickoff\", \"context\": \"\xc3\"}",
	`{"title": "Kick\ud800off"}`,
	`{"title": "Kickoff", "context": "\udc00"}`,
	`{"title": "evil\u202egpj", "context": "a\u0000b"}`,
	`{"title": "Kick\u200boff", "context": "a\r\nb\u001b[31m"}`,
	"{\"name\": \"An\xe2\x80\xaea\", \"answers\": {}}",
	"{\"name\": \"\xc0\xaf\", \"answers\": {}}",
	`{"name": "Ana\ud83d", "answers": {}}`,
	`{"name": "\u2066Ana\u2069", "answers": {"python": "strong"}}`,
	`{"name": "Ana\nBo", "answers": {}}`,
}

// FuzzDecodeNewWorkshop: whatever POST /workshops accepts has a clean title
// and context; whatever it refuses is a 400 with a message.
func FuzzDecodeNewWorkshop(f *testing.F) {
	f.Add([]byte(`{"title": "Booking platform v2 kickoff", "context": "Replacing\nthe PHP app", "anonymous": true}`))
	for _, s := range invalidTextSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		nw, err := decodeNewWorkshop(bytes.NewReader(body))
		if err != nil {
			refusal(t, err)
			return
		}
		if nw.Title == "" || !clean(nw.Title, false, body) || !clean(nw.Context, true, body) {
			t.Fatalf("accepted %+v from %q", nw, body)
		}
	})
}

// FuzzDecodeSubmission: whatever POST /workshops/{code}/submissions accepts
// has a clean name (none in an anonymous workshop); whatever it refuses is a
// 400 with a message.
func FuzzDecodeSubmission(f *testing.F) {
	f.Add([]byte(`{"name": "Ana", "answers": {"python": "strong", "packages": ["cms"]}}`), false)
	for _, s := range invalidTextSeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, anonymous bool) {
		name, answers, err := decodeSubmission(bytes.NewReader(body), anonymous)
		if err != nil {
			refusal(t, err)
			return
		}
		if answers == nil || (anonymous && name != "") || (!anonymous && (name == "" || !clean(name, false, body))) {
			t.Fatalf("accepted name %q, answers %v from %q (anonymous %v)", name, answers, body, anonymous)
		}
	})
}

// FuzzDecodeNewResult: whatever POST /results accepts has answers and a
// clean name of at most 80 characters ("" for none); whatever it refuses is
// a 400 with a message.
func FuzzDecodeNewResult(f *testing.F) {
	f.Add([]byte(`{"name": "Booking platform v2", "answers": {"python": "strong", "packages": ["cms"]}}`))
	f.Add([]byte(`{"answers": {"python": "strong"}}`))
	for _, s := range invalidTextSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		name, answers, err := decodeNewResult(bytes.NewReader(body))
		if err != nil {
			refusal(t, err)
			return
		}
		if answers == nil || !clean(name, false, body) || utf8.RuneCountInString(name) > 80 || name != strings.TrimSpace(name) {
			t.Fatalf("accepted name %q, answers %v from %q", name, answers, body)
		}
	})
}
