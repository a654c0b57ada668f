package handlers

import (
	"net/http"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/card"
)

// cardCacheSize is how many drawn cards are kept. A card is about 20 KB and
// takes some 5 ms of CPU to draw (go test ./card -bench Render); chat apps
// fetch a preview within moments of the link being posted (often several of
// them at once), so the recent cards catch nearly every repeat, in about 2.5 MB.
const cardCacheSize = 128

// cards keeps drawn cards by what they show: the same words and shares make
// the same picture, whichever result or workshop asked.
type cards struct {
	drawn *lru.Cache[card.Card, []byte]
}

func newCards() (cards, error) {
	drawn, err := lru.New[card.Card, []byte](cardCacheSize)
	return cards{drawn: drawn}, err
}

func (cs cards) png(c card.Card) ([]byte, error) {
	if b, ok := cs.drawn.Get(c); ok {
		return b, nil
	}
	b, err := card.Render(c)
	if err != nil {
		return nil, err
	}
	cs.drawn.Add(c, b)
	return b, nil
}

// cardOf is what a result's card shows: the result page's headline and the
// score bar's percentages (scores, as the page shows them).
func cardOf(name string, v verdictView) card.Card {
	return card.Card{Name: name, Headline: v.Headline, Recommendation: v.Ev.Recommendation,
		Confidence: v.Ev.Confidence, Django: v.Scores.Django, NodeJS: v.Scores.NodeJS}
}

// resultCardPath is where a result's card is served. A stored result never
// changes and card.File names the drawing, so the address is immutable.
func resultCardPath(id string) string { return "/r/" + id + "/" + card.File }

// resultCard is a result's share preview. Link previews fetch it without
// cookies, and a stored result never changes: it is cached for a year by
// anyone who has the link (the id in its address is the capability).
func (s *Server) resultCard(c echo.Context) error {
	res, err := s.app.Result(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.sendCard(c, cardOf(res.Name, s.verdict(res.Evaluation)), "public, max-age=31536000, immutable")
}

// teamCard is a workshop team's preview: it exists only while the team's
// result is revealed, and changes with every submission, so no cache keeps it.
func (s *Server) teamCard(c echo.Context) error {
	w, err := s.findWorkshop(c, c.Param("code"))
	if err != nil {
		return err
	}
	if !w.Revealed {
		return stackfit.ErrNotFound
	}
	t, err := s.app.Summarize(c.Request().Context(), w.Code)
	if err != nil {
		return err
	}
	return s.sendCard(c, cardOf(w.Title, s.verdict(t.Summary.Evaluation)), "no-store")
}

func (s *Server) sendCard(c echo.Context, cd card.Card, cacheControl string) error {
	png, err := s.cards.png(cd)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("X-Robots-Tag", "noindex")
	return c.Blob(http.StatusOK, "image/png", png)
}

// shareImage is the Open Graph image of a preview.
func shareImage(url string, cd card.Card) *SocialImage {
	return &SocialImage{URL: url, Width: card.Width, Height: card.Height, Alt: cd.Alt()}
}
