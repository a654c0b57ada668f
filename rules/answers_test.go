package rules_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"stackfit/rules"
)

// textBody is a request with free text beside the answers, like the API's
// workshop and submission bodies.
type textBody struct {
	Title   string                     `json:"title"`
	Name    string                     `json:"name"`
	Answers map[string]json.RawMessage `json:"answers"`
}

func TestDecodeJSONText(t *testing.T) {
	tests := []struct {
		name, body string
		problem    string // "" → accepted
	}{
		{"plain", `{"title": "Kickoff"}`, ""},
		{"accents and emoji", `{"title": "Café ☕ 🚀"}`, ""},
		{"escaped pair", `{"title": "\ud83d\ude80"}`, ""},
		{"escaped backslash before u", `{"title": "C:\\ud800"}`, ""},
		{"replacement character typed", `{"title": "\ufffd"}`, ""},
		{"invalid byte in a string", "{\"title\": \"Kick\xffoff\"}", "the body is not valid UTF-8 text (byte 15)"},
		{"truncated sequence", "{\"name\": \"Ana\xc3\"}", "the body is not valid UTF-8 text (byte 13)"},
		{"overlong encoding", "{\"name\": \"\xc0\xaf\"}", "the body is not valid UTF-8 text (byte 10)"},
		{"encoded surrogate", "{\"name\": \"\xed\xa0\x80\"}", "the body is not valid UTF-8 text (byte 10)"},
		{"invalid byte in a key", "{\"ti\xfftle\": \"x\"}", "the body is not valid UTF-8 text (byte 4)"},
		{"lone high surrogate", `{"title": "a\ud800b"}`, "the body is not valid UTF-8 text (byte 12)"},
		{"lone low surrogate", `{"title": "\udc00"}`, "the body is not valid UTF-8 text (byte 11)"},
		{"high surrogate then a letter", `{"title": "\uD83D\u0041"}`, "the body is not valid UTF-8 text (byte 11)"},
		{"over the limit", `{"title": "` + strings.Repeat("x", rules.MaxRequestBytes) + `"}`, "the body is over 64 KiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got textBody
			err := rules.DecodeJSON(strings.NewReader(tt.body), &got)
			if tt.problem == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ae *rules.AnswerError
			if !errors.As(err, &ae) || ae.Error() != tt.problem {
				t.Fatalf("error %v, want %q", err, tt.problem)
			}
			if got.Title != "" || got.Name != "" {
				t.Errorf("filled %+v from a refused body", got)
			}
		})
	}
	if _, err := rules.DecodeRequest(strings.NewReader("{\"answers\": {\"python\": \"str\xffong\"}}")); err == nil {
		t.Error("DecodeRequest accepted invalid UTF-8")
	}
}

// FuzzDecodeJSON feeds arbitrary bytes, invalid UTF-8 and unpaired surrogate
// escapes among the seeds, to the decoder of every JSON body: it must not
// panic, must refuse with an AnswerError, and whatever text it accepts is
// valid UTF-8 holding U+FFFD only where the body wrote one.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"title": "Kickoff", "name": "Ana", "answers": {"python": "strong"}}`,
		"{\"title\": \"Kick\xffoff\"}",
		"{\"name\": \"Ana\xc3\"}",
		"{\"name\": \"\xc0\xaf\"}",
		"{\"name\": \"\xed\xa0\x80\"}",
		"{\"ti\xfftle\": \"x\"}",
		`{"title": "a\ud800b"}`,
		`{"title": "\udc00\ud800"}`,
		`{"title": "\ud83d\ude80"}`,
		`{"title": "C:\\ud800"}`,
		`{"title": "\ufffd"}`,
		"{\"title\": \"\xef\xbf\xbd\"}",
		"\xfe\xff{}",
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got textBody
		if err := rules.DecodeJSON(bytes.NewReader(body), &got); err != nil {
			var ae *rules.AnswerError
			if !errors.As(err, &ae) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if !utf8.Valid(body) {
			t.Fatalf("accepted a body that is not UTF-8: %q", body)
		}
		wroteFFFD := bytes.Contains(body, []byte("\uFFFD")) || bytes.Contains(bytes.ToLower(body), []byte(`\ufffd`))
		for _, s := range []string{got.Title, got.Name} {
			if !utf8.ValidString(s) || (strings.ContainsRune(s, utf8.RuneError) && !wroteFFFD) {
				t.Fatalf("accepted %q from %q", s, body)
			}
		}
	})
}
