package handlers

import (
	"github.com/labstack/echo/v4"
)

// Layout is what every page's layout needs.
type Layout struct {
	Title       string
	Description string
	CSRF        string
	Social      *Social // link previews, on pages people share
	Live        bool    // the page follows an event stream (htmx's SSE extension)
	// NoIndex asks search engines to leave the page out: share links are
	// capabilities, meant for the people they were given to.
	NoIndex bool
}

// Social is an Open Graph and Twitter card preview.
type Social struct {
	Title       string
	Description string
	URL         string
	Image       *SocialImage // nil: a preview of words only
}

// SocialImage is a preview's picture: an absolute URL, its size and what it shows.
type SocialImage struct {
	URL           string
	Width, Height int
	Alt           string
}

const siteDescription = "stackfit helps a team choose between Django and Node.js: a short questionnaire, a transparent recommendation, the document's reasons."

func (s *Server) layout(c echo.Context, title string) Layout {
	return Layout{Title: title, Description: siteDescription, CSRF: csrfToken(c)}
}

// isFragment tells whether htmx asked for a part of a page. Only "partial"
// requests get a fragment: a first load, a reload, a history restore or a
// request without JavaScript gets the whole page.
func isFragment(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Request-Type") == "partial"
}

// render executes a page, or one block of it for an htmx fragment, whole
// before sending, so that a template error becomes a clean 500.
func (s *Server) render(c echo.Context, status int, page, block string, data any) error {
	html, err := s.views.Render(page, block, data)
	if err != nil {
		return err
	}
	return c.HTMLBlob(status, html)
}

// page renders the whole page, or the named block for htmx with the page's
// title before it, so the document title follows each swap.
func (s *Server) page(c echo.Context, status int, page, block string, data any) error {
	if !isFragment(c) {
		block = ""
	}
	html, err := s.pageOrFragment(page, block, data)
	if err != nil {
		return err
	}
	return c.HTMLBlob(status, html)
}

// pageOrFragment renders the whole page (block ""), or the block with the
// page's title before it (views/partials/title.html): htmx 4 takes that
// title out of the swapped response and sets the document's.
func (s *Server) pageOrFragment(page, block string, data any) ([]byte, error) {
	if block == "" {
		return s.views.Render(page, "", data)
	}
	title, err := s.views.Render(page, "doc-title", data)
	if err != nil {
		return nil, err
	}
	html, err := s.views.Render(page, block, data)
	if err != nil {
		return nil, err
	}
	return append(title, html...), nil
}
