// Package qr draws QR codes as SVG, so a result's share link can go on a
// slide or be scanned from a screen.
package qr

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"

	qrcode "github.com/yeqown/go-qrcode/v2"
)

// quietZone is the light border, in modules, that ISO/IEC 18004 asks for
// around the code; scanners fail without it on busy or dark backgrounds.
const quietZone = 4

// SVG renders text as a QR code in SVG: one <path> of the dark modules, a
// viewBox in module units with a quiet zone of 4, and a <title> for screen
// readers. Colours are fill attributes, never style attributes, because the
// Content-Security-Policy forbids inline style; shape-rendering="crispEdges"
// keeps neighbouring modules from showing hairline seams when scaled.
// Text too long for a QR code (about 2,300 bytes at this error correction)
// is an error.
func SVG(text string) ([]byte, error) {
	dark, err := modules(text)
	if err != nil {
		return nil, err
	}
	size := strconv.Itoa(len(dark) + 2*quietZone)

	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + size + ` ` + size + `" shape-rendering="crispEdges" role="img">`)
	b.WriteString("<title>QR code: ")
	if err := xml.EscapeText(&b, []byte(text)); err != nil {
		return nil, fmt.Errorf("qr code title: %w", err)
	}
	b.WriteString("</title>")
	// A light background of its own keeps the quiet zone light when the page
	// behind it is dark.
	b.WriteString(`<rect width="` + size + `" height="` + size + `" fill="#fff"/>`)
	b.WriteString(`<path fill="#000" d="`)
	for y, row := range dark {
		// One rectangle per run of dark modules in a row keeps the path short.
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			start := x
			for x < len(row) && row[x] {
				x++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", start+quietZone, y+quietZone, x-start, x-start)
		}
	}
	b.WriteString(`"/></svg>`)
	b.WriteString("\n")
	return b.Bytes(), nil
}

// modules is the code's matrix, [row][column], true for a dark module.
func modules(text string) ([][]bool, error) {
	// Medium (15 %) rather than the library's default Quartile: a link shown
	// on a screen is rarely damaged, and fewer modules scan better from afar.
	code, err := qrcode.NewWith(text, qrcode.WithErrorCorrectionLevel(qrcode.ErrorCorrectionMedium))
	if err != nil {
		return nil, fmt.Errorf("qr code of %d bytes: %w", len(text), err)
	}
	// The library hands its matrix only to a Writer; this one just keeps it.
	var m matrixWriter
	if err := code.Save(&m); err != nil {
		return nil, fmt.Errorf("qr code matrix: %w", err)
	}
	return m.bitmap, nil
}

type matrixWriter struct{ bitmap [][]bool }

func (w *matrixWriter) Write(m qrcode.Matrix) error {
	w.bitmap = m.Bitmap()
	return nil
}

func (w *matrixWriter) Close() error { return nil }
