package handlers

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/rules"
)

type newWorkshopRequest struct {
	Title     string `json:"title"`
	Context   string `json:"context"`
	Anonymous bool   `json:"anonymous"`
}

type createdWorkshop struct {
	Code           string `json:"code"`
	JoinURL        string `json:"join_url"`
	BoardURL       string `json:"board_url"` // the facilitator link: holds the key
	FacilitatorKey string `json:"facilitator_key"`
}

type submissionRequest struct {
	Name    string                      `json:"name"`
	Answers *map[string]json.RawMessage `json:"answers"`
}

type createdSubmission struct {
	ID     string            `json:"id"`
	Result *rules.Evaluation `json:"result"`
	URL    string            `json:"url"` // the participant's own share link
}

type workshopState struct {
	Code     string `json:"code"`
	Revealed bool   `json:"revealed"`
	Closed   bool   `json:"closed"`
}

func (s *Server) apiCreateWorkshop(c echo.Context) error {
	var req newWorkshopRequest
	if err := rules.DecodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	anonymous := ""
	if req.Anonymous {
		anonymous = "yes"
	}
	nw, problems := form.NewWorkshop(req.Title, req.Context, anonymous)
	if len(problems) > 0 {
		return echo.NewHTTPError(http.StatusBadRequest, problems[0].Field+": "+problems[0].Message)
	}
	w, key, err := s.app.CreateWorkshop(c.Request().Context(), nw)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdWorkshop{
		Code: w.Code, JoinURL: s.joinURL(c, w.Code),
		BoardURL: s.absURL(c, "/w/"+w.Code+"/board?key="+key), FacilitatorKey: key,
	})
}

func (s *Server) apiSubmit(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	var req submissionRequest
	if err := rules.DecodeJSON(c.Request().Body, &req); err != nil {
		return err
	}
	if req.Answers == nil {
		return echo.NewHTTPError(http.StatusBadRequest, `missing "answers": send {"name": "…", "answers": {"<question id>": "<option id>"}}`)
	}
	answers, err := rules.DecodeAnswers(*req.Answers)
	if err != nil {
		return err
	}
	name := ""
	if !w.Anonymous {
		var problem string
		if name, problem = form.Name(req.Name); problem != "" {
			return echo.NewHTTPError(http.StatusBadRequest, "name: "+problem)
		}
	}
	part, err := s.app.JoinAndSubmit(c.Request().Context(), w.Code, name, answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdSubmission{ID: part.ID, Result: part.Evaluation, URL: s.absURL(c, "/r/"+part.ResultID)})
}

func (s *Server) apiSummary(c echo.Context) error {
	w, err := s.apiFacilitated(c)
	if err != nil {
		return err
	}
	team, err := s.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toSummary(w, team))
}

func (s *Server) apiReveal(c echo.Context) error { return s.apiChange(c, s.app.Reveal) }
func (s *Server) apiClose(c echo.Context) error  { return s.apiChange(c, s.app.Close) }

func (s *Server) apiChange(c echo.Context, ch stateChange) error {
	w, err := s.apiFacilitated(c)
	if err != nil {
		return err
	}
	if w, err = ch(c.Request().Context(), w.Code); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, workshopState{Code: w.Code, Revealed: w.Revealed, Closed: w.Closed})
}

// apiFacilitated checks the Bearer facilitator key before anything about the
// workshop is read: without the right key, nothing is revealed.
func (s *Server) apiFacilitated(c echo.Context) (stackfit.Workshop, error) {
	key, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="stackfit workshop"`)
		return stackfit.Workshop{}, stackfit.ErrWrongKey
	}
	w, err := s.withKey(c, strings.TrimSpace(key))
	if stackfit.ErrorCode(err) == stackfit.EUNAUTHORIZED {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="stackfit workshop", error="invalid_token"`)
	}
	return w, err
}
