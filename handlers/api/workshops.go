package api

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/rules"
	"stackfit/workshop"
)

type newWorkshopRequest struct {
	Title     string `json:"title"`
	Context   string `json:"context"`
	Anonymous bool   `json:"anonymous"`
	Capacity  int    `json:"capacity"` // 0 or absent: the server's default
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
	Locked   bool   `json:"locked"`
}

// Person is one participant in the summary, with the id that removes them.
type Person struct {
	ID        string `json:"id"`
	Name      string `json:"name"` // as the board shows it: "Participant 3" when anonymous
	Submitted bool   `json:"submitted"`
}

// Summary is the API's summary of a workshop (and the board's JSON export).
type Summary struct {
	Code         string                     `json:"code"`
	Title        string                     `json:"title"`
	Participants int                        `json:"participants"` // who submitted answers
	Joined       int                        `json:"joined"`
	Revealed     bool                       `json:"revealed"`
	Closed       bool                       `json:"closed"`
	Questions    []workshop.QuestionSummary `json:"questions"`
	Team         *rules.Evaluation          `json:"team"`
	Individual   workshop.Tally             `json:"individual"`
	Capacity     int                        `json:"capacity"`
	PlacesLeft   int                        `json:"places_left"`
	Locked       bool                       `json:"locked"`
	People       []Person                   `json:"people"` // in joining order
}

// Summarize is workshop w and its team in the API's shape.
func Summarize(w stackfit.Workshop, t stackfit.Team) Summary {
	w.Joined = len(t.Participants) // read after w: the places left agree with the people listed
	sum := Summary{
		Code: w.Code, Title: w.Title, Participants: t.Summary.Responses, Joined: len(t.Participants),
		Revealed: w.Revealed, Closed: w.Closed, Questions: t.Summary.Questions,
		Team: t.Summary.Evaluation, Individual: t.Summary.Individual,
		Capacity: w.Capacity, PlacesLeft: w.PlacesLeft(), Locked: w.Locked,
		People: []Person{},
	}
	for i, p := range t.Participants {
		sum.People = append(sum.People, Person{ID: p.ID, Name: w.DisplayName(p, i), Submitted: p.Submitted})
	}
	return sum
}

func (h *Handler) createWorkshop(c echo.Context) error {
	nw, err := decodeNewWorkshop(c.Request().Body)
	if err != nil {
		return err
	}
	w, key, err := h.app.CreateWorkshop(c.Request().Context(), c.RealIP(), nw)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdWorkshop{
		Code: w.Code, JoinURL: h.links.Abs(c, "/w/"+w.Code),
		BoardURL: h.links.Abs(c, "/w/"+w.Code+"/board?key="+key), FacilitatorKey: key,
	})
}

// decodeNewWorkshop reads and checks the body of POST /workshops, with the
// new-workshop form's rules.
func decodeNewWorkshop(body io.Reader) (stackfit.NewWorkshop, error) {
	var req newWorkshopRequest
	if err := rules.DecodeJSON(body, &req); err != nil {
		return stackfit.NewWorkshop{}, err
	}
	anonymous := ""
	if req.Anonymous {
		anonymous = "yes"
	}
	nw, problems := form.NewWorkshop(req.Title, req.Context, anonymous)
	if len(problems) > 0 {
		return stackfit.NewWorkshop{}, echo.NewHTTPError(http.StatusBadRequest, problems[0].Field+": "+problems[0].Message)
	}
	nw.Capacity = req.Capacity // the core checks it against the server's maximum
	return nw, nil
}

func (h *Handler) submit(c echo.Context) error {
	w, err := h.app.FindWorkshop(c.Request().Context(), c.RealIP(), c.Param("code"))
	if err != nil {
		return err
	}
	name, answers, err := decodeSubmission(c.Request().Body, w.Anonymous)
	if err != nil {
		return err
	}
	part, err := h.app.JoinAndSubmit(c.Request().Context(), c.RealIP(), w.Code, name, answers)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, createdSubmission{ID: part.ID, Result: part.Evaluation, URL: h.links.Abs(c, "/r/"+part.ResultID)})
}

// decodeSubmission reads the body of POST /workshops/{code}/submissions: the
// answers, and the name checked as the join form checks it ("" in an
// anonymous workshop, whatever was sent).
func decodeSubmission(body io.Reader, anonymous bool) (string, rules.Answers, error) {
	var req submissionRequest
	if err := rules.DecodeJSON(body, &req); err != nil {
		return "", nil, err
	}
	if req.Answers == nil {
		return "", nil, echo.NewHTTPError(http.StatusBadRequest, `missing "answers": send {"name": "…", "answers": {"<question id>": "<option id>"}}`)
	}
	answers, err := rules.DecodeAnswers(*req.Answers)
	if err != nil {
		return "", nil, err
	}
	if anonymous {
		return "", answers, nil
	}
	name, problem := form.Name(req.Name)
	if problem != "" {
		return "", nil, echo.NewHTTPError(http.StatusBadRequest, "name: "+problem)
	}
	return name, answers, nil
}

func (h *Handler) summary(c echo.Context) error {
	w, err := h.facilitated(c)
	if err != nil {
		return err
	}
	team, err := h.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, Summarize(w, team))
}

func (h *Handler) reveal(c echo.Context) error { return h.change(c, h.app.Reveal) }
func (h *Handler) close(c echo.Context) error  { return h.change(c, h.app.Close) }
func (h *Handler) hide(c echo.Context) error   { return h.change(c, h.app.Hide) }
func (h *Handler) reopen(c echo.Context) error { return h.change(c, h.app.Reopen) }
func (h *Handler) lock(c echo.Context) error   { return h.change(c, h.app.Lock) }
func (h *Handler) unlock(c echo.Context) error { return h.change(c, h.app.Unlock) }

// removeParticipant frees a participant's place and takes their answers out
// of the summary: 204, or 404 for a participant not in the workshop.
func (h *Handler) removeParticipant(c echo.Context) error {
	w, err := h.facilitated(c)
	if err != nil {
		return err
	}
	if err := h.app.RemoveParticipant(c.Request().Context(), w.Code, c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// change is a facilitator's change of state (App.Reveal, App.Close, their
// undoing, the lock), which tells those watching.
func (h *Handler) change(c echo.Context, apply func(ctx context.Context, code string) (stackfit.Workshop, error)) error {
	w, err := h.facilitated(c)
	if err != nil {
		return err
	}
	if w, err = apply(c.Request().Context(), w.Code); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, workshopState{Code: w.Code, Revealed: w.Revealed, Closed: w.Closed, Locked: w.Locked})
}

// facilitated checks the Bearer facilitator key before anything about the
// workshop is read: without the right key, nothing is revealed.
func (h *Handler) facilitated(c echo.Context) (stackfit.Workshop, error) {
	key, ok := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="stackfit workshop"`)
		return stackfit.Workshop{}, stackfit.ErrWrongKey
	}
	w, err := h.app.Facilitate(c.Request().Context(), c.RealIP(), c.Param("code"), strings.TrimSpace(key))
	if stackfit.ErrorCode(err) == stackfit.EUNAUTHORIZED {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="stackfit workshop", error="invalid_token"`)
	}
	return w, err
}
