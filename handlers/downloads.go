package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/handlers/api"
	"stackfit/qr"
	"stackfit/record"
)

// downloadRecord is the result as a decision record (MADR) in Markdown.
func (s *Server) downloadRecord(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	md := record.Markdown(record.Decision{
		Title:      res.Name,
		Date:       res.CreatedAt,
		Link:       s.links.Abs(c, "/r/"+res.ID),
		Ruleset:    s.rules,
		Answers:    res.Answers,
		Evaluation: res.Evaluation,
	})
	return download(c, "stackfit-decision-"+res.ID+".md", mimeMarkdown, md)
}

// downloadJSON is the result in the API's JSON shape.
func (s *Server) downloadJSON(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(api.Stored(res), "", "  ")
	if err != nil {
		return err
	}
	return download(c, "stackfit-result-"+res.ID+".json", jsonDownload, body)
}

// resultQR is the share link as a QR code, for a slide or a phone.
func (s *Server) resultQR(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.qrCode(c, "/r/"+res.ID)
}

// qrCode answers with the public address of path as a QR code (SVG).
func (s *Server) qrCode(c echo.Context, path string) error {
	svg, err := qr.SVG(s.links.Abs(c, path))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

const mimeMarkdown = "text/markdown; charset=utf-8"

// download answers with body as a file to save under name.
// jsonDownload keeps the charset the downloads have always declared (Echo
// deprecated its constant: RFC 8259 makes UTF-8 the only encoding).
const jsonDownload = "application/json; charset=UTF-8"

func download(c echo.Context, name, mimeType string, body []byte) error {
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, mimeType, body)
}
