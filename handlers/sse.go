package handlers

import (
	"time"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/respond"
)

// coalesce gathers a burst of submissions into one re-render of the board:
// 300 people submitting in a few seconds cost a few renders a second, and
// the board still moves well within a second.
const coalesce = 200 * time.Millisecond

// stream sends a workshop's live block (page's template block, filled by
// view from the workshop's current state) now and again after every event
// that matters, as unnamed SSE messages, which htmx's hx-sse swaps into the
// element that connected. It returns when the browser goes away or the
// server stops.
func (s *Server) stream(c echo.Context, code string, matters func(stackfit.Event) bool,
	page, block string, view func(stackfit.Workshop) (any, error)) error {
	done, err := respond.OpenStream(c, s.streams, code)
	if err != nil {
		return err
	}
	defer done()
	evs, stop := s.app.Subscribe(code)
	defer stop()
	w, ok := respond.StartStream(c)
	if !ok {
		return nil
	}
	send := func() error {
		ws, err := s.app.Workshop(c.Request().Context(), code)
		if err != nil {
			return err
		}
		v, err := view(ws)
		if err != nil {
			return err
		}
		html, err := s.views.Render(page, block, v)
		if err != nil {
			return err
		}
		respond.WriteEvent(w, "", "", html)
		w.Flush()
		return nil
	}
	if err := send(); err != nil {
		return err
	}
	respond.Listen(c, w, s.stopping, evs, func(e stackfit.Event) bool {
		if !matters(e) {
			return true
		}
		if !drain(evs, coalesce, s.stopping) {
			return false
		}
		if err := send(); err != nil {
			s.log.Error("event stream", "route", routeOf(c), "err", err)
			return false // headers are sent: an error page cannot follow
		}
		return true
	})
	return nil
}

// drain swallows further events for d, so a burst becomes one message. It
// reports false when the stream should end.
func drain(evs <-chan stackfit.Event, d time.Duration, stopping <-chan struct{}) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			return true
		case <-stopping:
			return false
		case _, ok := <-evs:
			if !ok {
				return false
			}
		}
	}
}
