package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/form"
	"stackfit/workshop"
)

type newWorkshopView struct {
	Layout
	Title, Context string
	Anonymous      bool
	Capacity       string // as typed
	MaxCapacity    int
	Problems       []form.FieldProblem
}

func (s *Server) newWorkshop(c echo.Context) error {
	most := s.app.Limits().MaxCapacity
	v := newWorkshopView{Layout: s.layout(c, "Run a workshop"), MaxCapacity: most,
		Capacity: strconv.Itoa(min(stackfit.DefaultCapacity, most))}
	return s.render(c, http.StatusOK, "workshop-new", "", v)
}

// createWorkshop makes a workshop and keeps its facilitator key in this
// browser's session; the key is shown once on the next page.
func (s *Server) createWorkshop(c echo.Context) error {
	nw, problems := form.NewWorkshop(c.FormValue("title"), c.FormValue("context"), c.FormValue("anonymous"))
	most := s.app.Limits().MaxCapacity
	capacity, problem := form.Capacity(c.FormValue("capacity"), most)
	if problem != nil {
		problems = append(problems, *problem)
	}
	nw.Capacity = capacity
	if len(problems) > 0 {
		v := newWorkshopView{Layout: s.layout(c, "Check the workshop: Run a workshop"),
			Title: c.FormValue("title"), Context: c.FormValue("context"), Anonymous: nw.Anonymous,
			Capacity: c.FormValue("capacity"), MaxCapacity: most, Problems: problems}
		return s.render(c, http.StatusUnprocessableEntity, "workshop-new", "", v)
	}
	w, key, err := s.app.CreateWorkshop(c.Request().Context(), c.RealIP(), nw)
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	p.facilitate(w.Code, key)
	p.Unshown = append(p.Unshown, w.Code)
	if len(p.Unshown) > maxFacilitated {
		p.Unshown = p.Unshown[1:]
	}
	if err := s.saveProgress(c, p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/w/"+w.Code+"/created")
}

type createdView struct {
	Layout
	W         stackfit.Workshop
	JoinURL   string
	BoardLink string // with the key: shown once
}

// workshopCreated shows the facilitator link once, with the join details.
func (s *Server) workshopCreated(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	p := s.loadProgress(c)
	key, ok := p.Facilitates[w.Code]
	if !ok {
		return stackfit.ErrWrongKey
	}
	v := createdView{Layout: s.layout(c, "Your workshop: "+w.Title), W: w, JoinURL: s.joinURL(c, w.Code)}
	if i := slices.Index(p.Unshown, w.Code); i >= 0 {
		v.BoardLink = s.links.Abs(c, "/w/"+w.Code+"/board?key="+key)
		p.Unshown = slices.Delete(p.Unshown, i, i+1)
		if err := s.saveProgress(c, p); err != nil {
			return err
		}
	}
	return s.render(c, http.StatusOK, "workshop-created", "", v)
}

type presentView struct {
	Layout
	W       stackfit.Workshop
	JoinURL string
	Code    string // spaced for reading aloud: "K7Q H2M"
}

// present is the projector page: the code, the join link and its QR code;
// once the workshop is closed, a page that says so.
func (s *Server) present(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	v := presentView{Layout: s.layout(c, "Join “"+w.Title+"”"), W: w, JoinURL: s.joinURL(c, w.Code),
		Code: w.Code[:3] + " " + w.Code[3:]}
	if w.Closed { // nothing to join: no code, no QR code on the wall
		v.Title = "Closed: " + w.Title
		return s.render(c, http.StatusOK, "workshop-closed", "", v)
	}
	return s.render(c, http.StatusOK, "workshop-present", "", v)
}

func (s *Server) workshopQR(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	return s.qrCode(c, "/w/"+w.Code)
}

// joinURL is the public link participants open to join.
func (s *Server) joinURL(c echo.Context, code string) string {
	return s.links.Abs(c, "/w/"+code)
}

// findWorkshop looks a code up for anyone, under the limit on guessing
// codes that App.FindWorkshop keeps per client address.
func (s *Server) findWorkshop(c echo.Context, raw string) (stackfit.Workshop, error) {
	return s.app.FindWorkshop(c.Request().Context(), c.RealIP(), raw)
}

// facilitated returns the workshop when this browser holds its facilitator key.
func (s *Server) facilitated(c echo.Context) (stackfit.Workshop, error) {
	code, _ := workshop.ParseCode(c.Param("code"))
	key := s.loadProgress(c).Facilitates[code]
	if key == "" {
		// An unknown code is still a 404 (and counts as a guess).
		if _, err := s.findWorkshop(c, c.Param("code")); err != nil {
			return stackfit.Workshop{}, err
		}
		return stackfit.Workshop{}, stackfit.ErrWrongKey
	}
	return s.withKey(c, key)
}

// withKey returns the workshop of the URL when key is its facilitator key.
func (s *Server) withKey(c echo.Context, key string) (stackfit.Workshop, error) {
	return s.app.Facilitate(c.Request().Context(), c.RealIP(), c.Param("code"), key)
}
