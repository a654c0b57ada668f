package handlers

import (
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"stackfit/qr"
	"stackfit/record"
)

// downloadRecord is the result as a decision record (MADR) in Markdown.
func (s *Server) downloadRecord(c echo.Context) error {
	res, err := s.store.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	md := record.Markdown(record.Decision{
		Date:       res.CreatedAt,
		Link:       s.absURL(c, "/r/"+res.ID),
		Ruleset:    s.rules,
		Answers:    res.Answers,
		Evaluation: res.Evaluation,
	})
	attachment(c, "stackfit-decision-"+res.ID+".md")
	return c.Blob(http.StatusOK, "text/markdown; charset=utf-8", md)
}

// downloadJSON is the result in the API's JSON shape.
func (s *Server) downloadJSON(c echo.Context) error {
	res, err := s.store.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	body, err := json.MarshalIndent(toStored(res), "", "  ")
	if err != nil {
		return err
	}
	attachment(c, "stackfit-result-"+res.ID+".json")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, body)
}

// resultQR is the share link as a QR code, for a slide or a phone.
func (s *Server) resultQR(c echo.Context) error {
	res, err := s.store.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	svg, err := qr.SVG(s.absURL(c, "/r/"+res.ID))
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

func attachment(c echo.Context, name string) {
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
}
