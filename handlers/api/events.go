package api

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/respond"
)

// events streams a workshop's events as JSON, one SSE message per
// submission or change of state, named by its type.
func (h *Handler) events(c echo.Context) error {
	w, err := h.facilitated(c)
	if err != nil {
		return err
	}
	done, err := respond.OpenStream(c, h.streams, w.Code)
	if err != nil {
		return err
	}
	defer done()
	evs, stop := h.app.Subscribe(w.Code)
	defer stop()
	out, ok := respond.StartStream(c)
	if !ok {
		return nil
	}
	respond.WriteEvent(out, "", "ready", []byte(`{"code":`+strconv.Quote(w.Code)+`}`))
	out.Flush()
	respond.Listen(c, out, h.stopping, evs, func(e stackfit.Event) bool {
		data, _ := json.Marshal(e)
		respond.WriteEvent(out, fmt.Sprint(e.ID), string(e.Kind), data)
		out.Flush()
		return true
	})
	return nil
}
