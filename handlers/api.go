package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/rules"
)

// The JSON API serves the same shapes as the command line (see README).

// storedResult is GET /api/v1/results/{id} and a result's JSON download.
type storedResult struct {
	ID        string            `json:"id"`
	CreatedAt time.Time         `json:"created_at"`
	Answers   rules.Answers     `json:"answers"`
	Result    *rules.Evaluation `json:"result"`
}

// createdResult is the reply to POST /api/v1/results.
type createdResult struct {
	ID     string            `json:"id"`
	URL    string            `json:"url"`
	Result *rules.Evaluation `json:"result"`
}

func (s *Server) apiQuestionnaire(c echo.Context) error {
	return c.JSON(http.StatusOK, s.rules.Questionnaire())
}

func (s *Server) apiCriteria(c echo.Context) error {
	return c.JSON(http.StatusOK, s.rules.Catalogue())
}

func (s *Server) apiEvaluate(c echo.Context) error {
	answers, err := rules.DecodeRequest(c.Request().Body)
	if err != nil {
		return err
	}
	ev, err := s.rules.Evaluate(answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, ev)
}

func (s *Server) apiCreateResult(c echo.Context) error {
	answers, err := rules.DecodeRequest(c.Request().Body)
	if err != nil {
		return err
	}
	res, err := s.app.SaveResult(c.Request().Context(), answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdResult{ID: res.ID, URL: s.absURL(c, "/r/"+res.ID), Result: res.Evaluation})
}

func (s *Server) apiResult(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toStored(res))
}

func toStored(res stackfit.Result) storedResult {
	return storedResult{ID: res.ID, CreatedAt: res.CreatedAt, Answers: res.Answers, Result: res.Evaluation}
}
