// Package card draws a result's share preview: a 1200×630 PNG, the size
// Open Graph and Twitter's summary_large_image expect, with the decision's
// name, the verdict, the confidence and the score bar, so a link pasted into
// a chat shows the answer before anyone opens it.
//
// The words come from Lines alone and the shares from the caller (the
// percentages the result page shows), so a test can check what a card says
// without reading its pixels. The font is the Go font family
// (golang.org/x/image/font/gofont), embedded in the binary: a card looks the
// same on every server, with no system fonts to install.
package card

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"stackfit/rules"
)

// Width and Height are the card's size in pixels (1.91:1).
const Width, Height = 1200, 630

// File is the card's file name under its result's path. It changes when the
// drawing does, so an address served as immutable always shows one picture.
const File = "card-v1.png"

// Card is what a preview shows.
type Card struct {
	Name           string     // the decision's name; "" for none
	Headline       string     // "Django recommended", "Too close to call": the page's words
	Recommendation rules.Side // colours the headline
	Confidence     rules.Confidence
	// Django and NodeJS are the score bar's shares, as the result page
	// shows them (they sum to 100).
	Django, NodeJS int
}

// Lines are the card's words, top to bottom: what Render draws, apart from
// shortening a name too long for one line.
func (c Card) Lines() []string {
	var lines []string
	if name := c.drawnName(); name != "" {
		lines = append(lines, name)
	}
	return append(lines,
		c.Headline,
		confidenceLine(c.Confidence),
		"Django "+strconv.Itoa(c.Django)+"%",
		"Node.js "+strconv.Itoa(c.NodeJS)+"%",
	)
}

// drawnName is the name, if the Go fonts have every letter of it: they
// cover Latin, Greek and Cyrillic, and a name in another script would show
// as empty boxes, so such a card goes without it (the page and the
// preview's title still carry it).
func (c Card) drawnName() string {
	_, bold := fonts()
	var buf sfnt.Buffer
	for _, r := range c.Name {
		if i, err := bold.GlyphIndex(&buf, r); err != nil || (i == 0 && !unicode.IsSpace(r)) {
			return ""
		}
	}
	return c.Name
}

// Alt is the card described in one sentence, for og:image:alt.
func (c Card) Alt() string { return strings.Join(c.Lines(), " · ") }

func confidenceLine(conf rules.Confidence) string {
	s := string(conf)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:] + " confidence"
}

// The site's colours (static/css/app.css).
var (
	ink    = color.RGBA{0x1d, 0x23, 0x27, 0xff}
	muted  = color.RGBA{0x4f, 0x5b, 0x62, 0xff}
	line   = color.RGBA{0xd5, 0xdb, 0xdf, 0xff}
	soft   = color.RGBA{0xf4, 0xf6, 0xf7, 0xff}
	django = color.RGBA{0x0b, 0x6e, 0x4f, 0xff}
	nodejs = color.RGBA{0x8a, 0x4b, 0x00, 0xff}
)

func sideColour(s rules.Side) color.RGBA {
	switch s {
	case rules.Django:
		return django
	case rules.NodeJS:
		return nodejs
	}
	return muted
}

// Where things go: a margin all round, the bar across the foot.
const (
	margin    = 72
	textWidth = Width - 2*margin
	barTop    = 500
	barHeight = 60
)

// The parsed fonts are shared; a font.Face is not safe for concurrent use,
// so each render makes its own (cheap: the outlines are parsed once).
var fonts = sync.OnceValues(func() (regular, bold *opentype.Font) {
	regular, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic("card: the embedded Go Regular font does not parse: " + err.Error())
	}
	bold, err = opentype.Parse(gobold.TTF)
	if err != nil {
		panic("card: the embedded Go Bold font does not parse: " + err.Error())
	}
	return regular, bold
})

// Render draws the card as a PNG.
func Render(c Card) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	accent := sideColour(c.Recommendation)
	fill(img, image.Rect(0, 0, Width, 16), accent)

	regular, bold := fonts()
	p := painter{img: img}
	p.text(bold, 30, muted, margin, 92, "stackfit")
	y := 200
	if name := c.drawnName(); name != "" {
		p.fitted(bold, 52, 32, ink, margin, 190, name)
		y = 300
	}
	p.fitted(bold, 96, 56, accent, margin, y, c.Headline)
	p.text(regular, 44, ink, margin, y+76, confidenceLine(c.Confidence))

	legend := barTop - 22
	p.text(bold, 36, django, margin, legend, "Django "+strconv.Itoa(c.Django)+"%")
	right := "Node.js " + strconv.Itoa(c.NodeJS) + "%"
	p.text(bold, 36, nodejs, Width-margin-p.width(bold, 36, right), legend, right)

	bar := image.Rect(margin, barTop, Width-margin, barTop+barHeight)
	fill(img, bar.Inset(-2), line)
	fill(img, bar, soft)
	split := margin + textWidth*c.Django/100
	fill(img, image.Rect(margin, barTop, split, barTop+barHeight), django)
	fill(img, image.Rect(split, barTop, Width-margin, barTop+barHeight), nodejs)
	if p.err != nil {
		return nil, p.err
	}
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	// BestSpeed: a card is flat colour and a few words, so deflate's first
	// level already packs it well, at a fraction of the default's time.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, paletted(img)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// palette is every colour a card uses: its flat colours, and each colour
// of text in 48 steps from the white under it (the edges of antialiased
// letters), which the eye cannot tell from the 256 that were drawn.
var palette = sync.OnceValue(func() color.Palette {
	p := color.Palette{color.White, line, soft}
	const steps = 48
	for _, c := range []color.RGBA{ink, muted, django, nodejs} {
		for i := 1; i <= steps; i++ {
			blend := func(v uint8) uint8 { return uint8(255 - (255-int(v))*i/steps) }
			p = append(p, color.RGBA{blend(c.R), blend(c.G), blend(c.B), 0xff})
		}
	}
	return p
})

// paletted is img with each pixel its nearest colour of the palette. A PNG
// of one byte per pixel, unfiltered, encodes several times faster than
// four bytes per pixel, and is smaller. Runs of one colour (most of a card)
// map once; other colours are looked up once each.
func paletted(img *image.RGBA) *image.Paletted {
	pal := palette()
	out := image.NewPaletted(img.Bounds(), pal)
	index := map[uint32]uint8{}
	var last uint32
	var lastIndex uint8
	first := true
	for i := 0; i+3 < len(img.Pix); i += 4 {
		px := uint32(img.Pix[i])<<16 | uint32(img.Pix[i+1])<<8 | uint32(img.Pix[i+2])
		if first || px != last {
			idx, ok := index[px]
			if !ok {
				idx = uint8(pal.Index(color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 0xff}))
				index[px] = idx
			}
			last, lastIndex, first = px, idx, false
		}
		out.Pix[i/4] = lastIndex
	}
	return out
}

func fill(img draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}

// painter draws text, keeping the first error.
type painter struct {
	img *image.RGBA
	err error
}

func (p *painter) face(f *opentype.Font, size float64) font.Face {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil && p.err == nil {
		p.err = err
	}
	return face
}

func (p *painter) width(f *opentype.Font, size float64, s string) int {
	face := p.face(f, size)
	if face == nil {
		return 0
	}
	defer face.Close()
	return font.MeasureString(face, s).Ceil()
}

// text draws s with its baseline at y.
func (p *painter) text(f *opentype.Font, size float64, c color.Color, x, y int, s string) {
	face := p.face(f, size)
	if face == nil {
		return
	}
	defer face.Close()
	d := font.Drawer{Dst: p.img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// fitted draws s on one line of the card's text width: in a smaller size,
// down to min, when it is too wide, then shortened with an ellipsis.
func (p *painter) fitted(f *opentype.Font, size, min float64, c color.Color, x, y int, s string) {
	for size > min && p.width(f, size, s) > textWidth {
		size -= 4
	}
	p.text(f, size, c, x, y, shorten(s, func(t string) bool { return p.width(f, size, t) <= textWidth }))
}

// shorten is s, or its longest beginning that fits with "…" after it.
func shorten(s string, fits func(string) bool) string {
	if fits(s) {
		return s
	}
	runes := []rune(s)
	for n := len(runes) - 1; n > 0; n-- {
		if t := strings.TrimSpace(string(runes[:n])) + "…"; fits(t) {
			return t
		}
	}
	return "…"
}
