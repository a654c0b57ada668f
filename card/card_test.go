package card

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"reflect"
	"strings"
	"testing"

	"stackfit/rules"
)

func TestLines(t *testing.T) {
	tests := []struct {
		name string
		card Card
		want []string
	}{
		{"named, Django", Card{Name: "Booking platform v2", Headline: "Django recommended", Recommendation: rules.Django,
			Confidence: rules.Medium, Django: 62, NodeJS: 38},
			[]string{"Booking platform v2", "Django recommended", "Medium confidence", "Django 62%", "Node.js 38%"}},
		{"no name, a tie", Card{Headline: "Too close to call", Recommendation: rules.Tie, Confidence: rules.Low, Django: 51, NodeJS: 49},
			[]string{"Too close to call", "Low confidence", "Django 51%", "Node.js 49%"}},
		{"a name the Go fonts cannot draw", Card{Name: "预订平台 v2", Headline: "Django recommended", Recommendation: rules.Django, Confidence: rules.Low, Django: 60, NodeJS: 40},
			[]string{"Django recommended", "Low confidence", "Django 60%", "Node.js 40%"}},
		{"Greek, Cyrillic and accents", Card{Name: "Ωμέγα · Бронирование · Café", Headline: "Django recommended", Recommendation: rules.Django, Confidence: rules.Low, Django: 60, NodeJS: 40},
			[]string{"Ωμέγα · Бронирование · Café", "Django recommended", "Low confidence", "Django 60%", "Node.js 40%"}},
		{"Node.js at high confidence", Card{Headline: "Node.js recommended", Recommendation: rules.NodeJS, Confidence: rules.High, Django: 0, NodeJS: 100},
			[]string{"Node.js recommended", "High confidence", "Django 0%", "Node.js 100%"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.card.Lines(); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Lines() = %q, want %q", got, tt.want)
			}
			if got, want := tt.card.Alt(), strings.Join(tt.want, " · "); got != want {
				t.Errorf("Alt() = %q, want %q", got, want)
			}
		})
	}
}

// TestRender decodes each card as a PNG of 1200×630 and checks that the
// score bar splits where the percentages say and that the headline takes
// its side's colour.
func TestRender(t *testing.T) {
	long := strings.Repeat("A very long name for a decision ", 3)
	tests := []struct {
		name string
		card Card
	}{
		{"Django", Card{Name: "Booking platform v2", Headline: "Django recommended", Recommendation: rules.Django, Confidence: rules.Medium, Django: 62, NodeJS: 38}},
		{"Node.js, no name", Card{Headline: "Node.js recommended", Recommendation: rules.NodeJS, Confidence: rules.High, Django: 23, NodeJS: 77}},
		{"a tie with a long name", Card{Name: long, Headline: "Too close to call", Recommendation: rules.Tie, Confidence: rules.Low, Django: 50, NodeJS: 50}},
		{"all for one side", Card{Name: "Ünïcödé ☕ — straße", Headline: "Django recommended", Recommendation: rules.Django, Confidence: rules.High, Django: 100, NodeJS: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := Render(tt.card)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if got := img.Bounds(); got != image.Rect(0, 0, 1200, 630) {
				t.Fatalf("size %v, want 1200×630", got)
			}
			split := margin + textWidth*tt.card.Django/100
			mid := barTop + barHeight/2
			if tt.card.Django > 0 {
				wantColour(t, img, split-3, mid, django)
			}
			if tt.card.NodeJS > 0 {
				wantColour(t, img, split+3, mid, nodejs)
			}
			wantColour(t, img, Width/2, 4, sideColour(tt.card.Recommendation))
			// Rendering is deterministic: the same card, the same bytes.
			again, err := Render(tt.card)
			if err != nil || !bytes.Equal(again, b) {
				t.Errorf("a second render differs (%v)", err)
			}
		})
	}
}

// TestNameIsDrawn: two cards that differ only in their names differ in
// the name's band and nowhere below it.
func TestNameIsDrawn(t *testing.T) {
	one := Card{Name: "Booking platform v2", Headline: "Django recommended", Recommendation: rules.Django, Confidence: rules.Medium, Django: 62, NodeJS: 38}
	other := one
	other.Name = "Checkout rewrite"
	a, b := decode(t, one), decode(t, other)
	if same(a, b, image.Rect(margin, 140, Width-margin, 200)) {
		t.Error("two names look the same where the name goes")
	}
	if !same(a, b, image.Rect(0, 220, Width, Height)) {
		t.Error("the name changed more than its own line")
	}
}

func TestShorten(t *testing.T) {
	fits := func(s string) bool { return len([]rune(s)) <= 10 }
	tests := []struct{ in, want string }{
		{"short", "short"},
		{"exactly 10", "exactly 10"},
		{"a little too long", "a little…"},
		{"ünïcödé ünïcödé", "ünïcödé ü…"},
		{"ünïcödé  ünïcödé", "ünïcödé…"}, // no space before the ellipsis
	}
	for _, tt := range tests {
		if got := shorten(tt.in, fits); got != tt.want {
			t.Errorf("shorten(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func decode(t *testing.T, c Card) image.Image {
	t.Helper()
	b, err := Render(c)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func same(a, b image.Image, r image.Rectangle) bool {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				return false
			}
		}
	}
	return true
}

func wantColour(t *testing.T, img image.Image, x, y int, want color.RGBA) {
	t.Helper()
	if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got != want {
		t.Errorf("pixel (%d, %d) is %v, want %v", x, y, got, want)
	}
}

// BenchmarkRender is one card drawn and encoded, as a first request for a
// result's preview costs.
func BenchmarkRender(b *testing.B) {
	c := Card{Name: "Booking platform v2", Headline: "Django recommended", Recommendation: rules.Django,
		Confidence: rules.Medium, Django: 62, NodeJS: 38}
	var size int
	for b.Loop() {
		png, err := Render(c)
		if err != nil {
			b.Fatal(err)
		}
		size = len(png)
	}
	b.ReportMetric(float64(size), "bytes/card")
}
