package api

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/rules"
)

// The JSON API serves the same shapes as the command line (see README).

// StoredResult is GET /api/v1/results/{id} and a result's JSON download.
type StoredResult struct {
	ID        string            `json:"id"`
	CreatedAt time.Time         `json:"created_at"`
	Answers   rules.Answers     `json:"answers"`
	Result    *rules.Evaluation `json:"result"`
}

// Stored is res in the API's shape.
func Stored(res stackfit.Result) StoredResult {
	return StoredResult{ID: res.ID, CreatedAt: res.CreatedAt, Answers: res.Answers, Result: res.Evaluation}
}

// createdResult is the reply to POST /api/v1/results.
type createdResult struct {
	ID     string            `json:"id"`
	URL    string            `json:"url"`
	Result *rules.Evaluation `json:"result"`
}

func (h *Handler) questionnaire(c echo.Context) error {
	return c.JSON(http.StatusOK, h.rules.Questionnaire())
}

func (h *Handler) criteria(c echo.Context) error {
	return c.JSON(http.StatusOK, h.rules.Catalogue())
}

func (h *Handler) evaluate(c echo.Context) error {
	answers, err := rules.DecodeRequest(c.Request().Body)
	if err != nil {
		return err
	}
	ev, err := h.rules.Evaluate(answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ev)
}

func (h *Handler) createResult(c echo.Context) error {
	answers, err := rules.DecodeRequest(c.Request().Body)
	if err != nil {
		return err
	}
	res, err := h.app.SaveResult(c.Request().Context(), c.RealIP(), answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdResult{ID: res.ID, URL: h.links.Abs(c, "/r/"+res.ID), Result: res.Evaluation})
}

func (h *Handler) result(c echo.Context) error {
	res, err := h.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Stored(res))
}
