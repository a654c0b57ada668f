// Package views holds stackfit's html/template files: a layout, one template
// per page and the partials that htmx swaps. A page and its htmx fragment come
// from the same named template, so both show the same markup.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

//go:embed layout.html pages/*.html partials/*.html
var files embed.FS

// Templates is every page, parsed once at start.
type Templates struct {
	pages map[string]*template.Template
}

// Parse parses the layout and partials with each page. funcs must hold every
// function the templates call (they are checked now, not on first use).
func Parse(funcs template.FuncMap) (*Templates, error) {
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "layout.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout and partials: %w", err)
	}
	pages, err := fs.Glob(files, "pages/*.html")
	if err != nil {
		return nil, err
	}
	t := &Templates{pages: map[string]*template.Template{}}
	for _, p := range pages {
		clone, err := base.Clone()
		if err != nil {
			return nil, err
		}
		if _, err := clone.ParseFS(files, p); err != nil {
			return nil, fmt.Errorf("parse %s: %w", p, err)
		}
		t.pages[strings.TrimSuffix(path.Base(p), ".html")] = clone
	}
	return t, nil
}

// Render executes a page ("result") as a whole document, or only one of its
// named templates ("result", "wizard") for an htmx fragment when block is set.
// It returns the bytes rather than writing them, so a template error never
// sends half a page.
func (t *Templates) Render(page, block string, data any) ([]byte, error) {
	tpl, ok := t.pages[page]
	if !ok {
		return nil, fmt.Errorf("no page template %q", page)
	}
	name := "layout"
	if block != "" {
		name = block
	}
	var buf bytes.Buffer
	if err := tpl.ExecuteTemplate(&buf, name, data); err != nil {
		return nil, fmt.Errorf("render %s/%s: %w", page, name, err)
	}
	return buf.Bytes(), nil
}
