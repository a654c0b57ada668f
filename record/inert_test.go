package record_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"

	"stackfit/record"
	"stackfit/rules"
)

// permissive renders Markdown as the most trusting viewer would: GitHub's
// extensions, raw HTML and any link passed through. What user text turns
// into there, it turns into anywhere.
var permissive = goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(html.WithUnsafe()))

// TestUserTextInert puts Markdown and HTML in a workshop's title and context
// and renders the record: each shows as the text typed, and the record keeps
// its own headings, and no others.
func TestUserTextInert(t *testing.T) {
	tests := []struct {
		name, title, context string
		shown                []string // text the rendered record shows
	}{
		{"link", "[x](javascript:alert(1))", "see [here](javascript:alert(1)) and ![i](x.png)",
			[]string{"[x](javascript:alert(1))", "see [here](javascript:alert(1)) and ![i](x.png)"}},
		{"autolink", "<javascript:alert(1)>", "<https://evil.example>", []string{"&lt;javascript:alert(1)&gt;", "&lt;https://evil.example&gt;"}},
		{"heading", "## Decision Outcome", "Intro\n## Decision Outcome\nChosen option: Node.js\n\n# Fake title",
			[]string{"## Decision Outcome", "# Fake title"}},
		{"setext heading", "Kickoff", "Decision Outcome\n===\nChosen\n---", []string{"Decision Outcome\n===", "Chosen\n---"}},
		{"HTML", "<img src=x onerror=alert(1)>", "<script>alert(1)</script> &lt;b&gt; <!-- c -->",
			[]string{"&lt;img src=x onerror=alert(1)&gt;", "&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt; &lt;!-- c --&gt;"}},
		{"emphasis and code", "*bold* _it_ `code` ~~gone~~", "| a | b |\n| - | - |\n| 1 | 2 |",
			[]string{"*bold* _it_ `code` ~~gone~~", "| a | b |\n| - | - |\n| 1 | 2 |"}},
		{"lists and quotes", "1. Kickoff", "- item\n+ item\n* item\n2) item\n> quote\n```\nfence",
			[]string{"1. Kickoff", "- item\n+ item\n* item\n2) item\n&gt; quote\n```\nfence"}},
		{"plain text kept", "Booking platform v2 — kickoff, 2026", "Replacing the PHP app (v1.2).\n\nSecond paragraph: 50% done.",
			[]string{"Booking platform v2 — kickoff, 2026", "Replacing the PHP app (v1.2).", "Second paragraph: 50% done."}},
	}
	render := func(title, context string) string {
		d := decision(t, rules.Answers{})
		d.Title, d.Context = title, context
		md := record.Markdown(d)
		_, body, _ := strings.Cut(string(md)[4:], "\n---\n") // past the front matter
		var out bytes.Buffer
		if err := permissive.Convert([]byte(body), &out); err != nil {
			t.Fatal(err)
		}
		return out.String()
	}
	plain := render("Title", "Context")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(tt.title, tt.context)
			for _, tag := range []string{"<a ", "<img", "<script", "<strong", "<em", "<code", "<del", "<table", "<blockquote",
				"<ol", "<ul", "<li", "<hr", "<!--", "<h1", "<h2", "<h3", "<pre", "<p>"} {
				want := strings.Count(plain, tag)
				if tag == "<p>" {
					want += strings.Count(tt.context, "\n\n")
				}
				if got := strings.Count(page, tag); got != want {
					t.Errorf("%d of %s, want %d: user text became markup\n%s", got, tag, want, page)
				}
			}
			h1 := regexp.MustCompile(`<h1>`).FindAllString(page, -1)
			h2 := regexp.MustCompile(`<h2>[^<]*</h2>`).FindAllString(page, -1)
			if want := []string{"<h2>Context and Problem Statement</h2>", "<h2>Decision Drivers</h2>",
				"<h2>Considered Options</h2>", "<h2>Decision Outcome</h2>"}; len(h1) != 1 || !hasPrefix(h2, want) {
				t.Errorf("%d h1, h2 %q: want one title and the record's own sections", len(h1), h2)
			}
			text := strings.ReplaceAll(page, "&quot;", `"`)
			for _, s := range tt.shown {
				if !strings.Contains(text, s) {
					t.Errorf("rendered record does not show %q:\n%s", s, page)
				}
			}
		})
	}
}

func hasPrefix(got, want []string) bool {
	if len(got) < len(want) {
		return false
	}
	for i := range want {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
