package api

import (
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/rules"
)

// The JSON API serves the same shapes as the command line (see README).

// StoredResult is GET /api/v1/results/{id} and a result's JSON download.
type StoredResult struct {
	ID        string            `json:"id"`
	Name      string            `json:"name,omitempty"` // the decision's name, when it was given one
	CreatedAt time.Time         `json:"created_at"`
	Answers   rules.Answers     `json:"answers"`
	Result    *rules.Evaluation `json:"result"`
}

// Stored is res in the API's shape.
func Stored(res stackfit.Result) StoredResult {
	return StoredResult{ID: res.ID, Name: res.Name, CreatedAt: res.CreatedAt, Answers: res.Answers, Result: res.Evaluation}
}

// createdResult is the reply to POST /api/v1/results.
type createdResult struct {
	ID     string            `json:"id"`
	Name   string            `json:"name,omitempty"`
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
	name, answers, err := decodeNewResult(c.Request().Body)
	if err != nil {
		return err
	}
	res, err := h.app.SaveResult(c.Request().Context(), c.RealIP(), name, answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdResult{ID: res.ID, Name: res.Name, URL: h.links.Abs(c, "/r/"+res.ID), Result: res.Evaluation})
}

// decodeNewResult reads the body of POST /results: the answers, as
// /evaluate takes them, and the decision's optional name, checked as the
// review page checks it.
func decodeNewResult(body io.Reader) (string, rules.Answers, error) {
	var req submissionRequest // the same two fields
	if err := rules.DecodeJSON(body, &req); err != nil {
		return "", nil, err
	}
	if req.Answers == nil {
		return "", nil, echo.NewHTTPError(http.StatusBadRequest, `missing "answers": send {"name": "…", "answers": {"<question id>": "<option id>"}} ("name" is optional)`)
	}
	answers, err := rules.DecodeAnswers(*req.Answers)
	if err != nil {
		return "", nil, err
	}
	name, problem := form.DecisionName(req.Name)
	if problem != "" {
		return "", nil, echo.NewHTTPError(http.StatusBadRequest, "name: "+problem)
	}
	return name, answers, nil
}

func (h *Handler) result(c echo.Context) error {
	res, err := h.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Stored(res))
}
