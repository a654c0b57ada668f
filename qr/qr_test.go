package qr_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"

	"stackfit/qr"
)

// svgDoc is what the tests read back from the SVG.
type svgDoc struct {
	viewBox, title string
	paths          []string // the d attribute of each <path>
	fills          []string // the fill attribute of each shape
}

func parse(t *testing.T, svg []byte) svgDoc {
	t.Helper()
	var doc svgDoc
	dec := xml.NewDecoder(bytes.NewReader(svg))
	var inTitle bool
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := func(name string) string {
				for _, a := range tok.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch tok.Name.Local {
			case "svg":
				doc.viewBox = attr("viewBox")
				if attr("shape-rendering") != "crispEdges" || tok.Name.Space != "http://www.w3.org/2000/svg" {
					t.Errorf("root element %v", tok)
				}
			case "title":
				inTitle = true
			case "path":
				doc.paths = append(doc.paths, attr("d"))
				doc.fills = append(doc.fills, attr("fill"))
			case "rect":
				doc.fills = append(doc.fills, attr("fill"))
			}
		case xml.EndElement:
			inTitle = false
		case xml.CharData:
			if inTitle {
				doc.title += string(tok)
			}
		}
	}
	return doc
}

func TestSVG(t *testing.T) {
	// A QR code of version v is 17+4v modules a side; the library picks the
	// smallest version that holds the text at error correction level M.
	tests := []struct {
		name    string
		text    string
		version int
	}{
		{"digits", "1234567", 1},                                                  // numeric mode, up to 34 digits in version 1-M
		{"upper case", "HELLO WORLD", 1},                                          // alphanumeric, up to 20 characters in 1-M
		{"share link", "https://stackfit.example/r/abc123", 3},                    // 32 bytes: 2-M holds 26, 3-M 42
		{"long link", "https://stackfit.example/r/" + strings.Repeat("x", 73), 6}, // 100 bytes: 5-M holds 84, 6-M 106
		{"markup in the text", `<script>"&"</script>`, 2},                         // 20 bytes: 1-M holds 14, 2-M 26
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg, err := qr.SVG(tt.text)
			if err != nil {
				t.Fatalf("SVG: %v", err)
			}
			doc := parse(t, svg)
			side := strconv.Itoa(17 + 4*tt.version + 2*4)
			if want := "0 0 " + side + " " + side; doc.viewBox != want {
				t.Errorf("viewBox %q, want %q (version %d with a quiet zone of 4)", doc.viewBox, want, tt.version)
			}
			if doc.title != "QR code: "+tt.text {
				t.Errorf("title %q", doc.title)
			}
			if bytes.Contains(svg, []byte("style")) {
				t.Error("a style attribute or element; the CSP forbids inline style")
			}
			if len(doc.paths) != 1 || doc.paths[0] == "" {
				t.Fatalf("want one non-empty path, got %q", doc.paths)
			}
			// The top row of the top-left finder pattern: seven dark modules
			// inside the quiet zone. It places the matrix the right way round.
			if !strings.HasPrefix(doc.paths[0], "M4 4h7v1h-7z") {
				t.Errorf("path does not start with the finder pattern: %.40s", doc.paths[0])
			}
			for _, f := range doc.fills {
				if f == "" {
					t.Error("a shape without a fill attribute")
				}
			}
			again, _ := qr.SVG(tt.text)
			if !bytes.Equal(svg, again) {
				t.Error("the same text gave a different SVG")
			}
		})
	}
}

func TestSVGTooLong(t *testing.T) {
	if svg, err := qr.SVG(strings.Repeat("a", 5000)); err == nil {
		t.Errorf("5000 bytes gave an SVG of %d bytes, want an error", len(svg))
	}
}
