package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"stackfit/handlers/api"
)

// apiContract is the API's OpenAPI document (handlers/api/openapi.json),
// loaded to check exchanges with the API against it. client.do checks
// every request under /api/ it makes, and client.stream every API event,
// so each API test holds the document to the code without asking.
type apiContract struct {
	doc    *openapi3.T
	router routers.Router
}

// loadContract reads and validates the document once per test binary.
var loadContract = sync.OnceValues(func() (*apiContract, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(api.OpenAPI())
	if err != nil {
		return nil, fmt.Errorf("load openapi.json: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("openapi.json is not a valid OpenAPI document: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("route openapi.json: %w", err)
	}
	return &apiContract{doc: doc, router: router}, nil
})

func contract(t testing.TB) *apiContract {
	t.Helper()
	k, err := loadContract()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// exchange is one request to the API and its answer, as the client saw them.
type exchange struct {
	req     *http.Request
	reqBody []byte // what was sent; part of it when the server answered early
	status  int
	header  http.Header
	body    []byte
	stream  bool // an event stream's answer: its body is checked event by event
}

func (x exchange) String() string {
	return fmt.Sprintf("%s %s → %d", x.req.Method, x.req.URL.Path, x.status)
}

// check tells how the exchange breaks the document, nil when it does not:
//   - the request's route must be an operation of the document, or else be
//     answered 404 (an unknown path) or 405 with Allow (a known path, another
//     method), with the error body;
//   - a request the document refuses (body, content type, facilitator key)
//     must be refused with a 4xx;
//   - the status must be one the operation lists, with its headers, content
//     type and body schema; a response the document gives no content has
//     no body.
//
// HEAD is checked as the GET it is answered as (headAsGet), headers only.
func (k *apiContract) check(x exchange) error {
	ctx := context.Background()
	req := x.req.Clone(ctx)
	head := req.Method == http.MethodHead
	if head {
		req.Method = http.MethodGet
	}
	req.Body = io.NopCloser(bytes.NewReader(x.reqBody))
	route, params, err := k.router.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrPathNotFound):
		return k.checkRefusal(x, http.StatusNotFound, "an unknown path")
	case errors.Is(err, routers.ErrMethodNotAllowed):
		if err := k.checkRefusal(x, http.StatusMethodNotAllowed, "a method the path does not take"); err != nil {
			return err
		}
		if x.header.Get("Allow") == "" {
			return fmt.Errorf("%v: a method the document does not list, answered without Allow", x)
		}
		return nil
	case err != nil:
		return fmt.Errorf("%v: %w", x, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: bearerSent},
	}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && x.status < 400 {
		return fmt.Errorf("%v: accepted a request the document refuses: %w", x, err)
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: x.status, Header: x.header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, ExcludeResponseBody: head || x.stream},
	}
	out.SetBodyBytes(x.body)
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		return fmt.Errorf("%v: %w", x, err)
	}
	if res := route.Operation.Responses.Status(x.status); res != nil && len(res.Value.Content) == 0 && len(x.body) > 0 {
		return fmt.Errorf("%v: the document gives this answer no body, it has %d bytes", x, len(x.body))
	}
	return nil
}

// bearerSent is the document's facilitatorKey scheme as a client can tell
// it: a Bearer key was sent (only the server knows whether it is right).
func bearerSent(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	key, ok := strings.CutPrefix(in.RequestValidationInput.Request.Header.Get("Authorization"), "Bearer ")
	if !ok || strings.TrimSpace(key) == "" {
		return errors.New("no Bearer facilitator key")
	}
	return nil
}

// checkRefusal checks the answer to a request no operation describes: it
// must be the status that refuses it, with the error body.
func (k *apiContract) checkRefusal(x exchange, status int, what string) error {
	if x.status != status {
		return fmt.Errorf("%v: %s (not in openapi.json) answered %d, want %d", x, what, x.status, status)
	}
	if x.req.Method == http.MethodHead {
		return nil
	}
	return k.checkSchema("Error", x.body)
}

// checkSchema validates a JSON body against one of the document's schemas.
func (k *apiContract) checkSchema(name string, body []byte) error {
	ref := k.doc.Components.Schemas[name]
	if ref == nil {
		return fmt.Errorf("openapi.json has no schema %s", name)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s: not JSON: %w: %q", name, err, body)
	}
	if err := ref.Value.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// sseEvent is what the document says of one event of a stream (x-events).
type sseEvent struct {
	Description string `json:"description"`
	ID          bool   `json:"id"` // whether the event carries an SSE id
	Data        struct {
		Ref string `json:"$ref"`
	} `json:"data"`
}

// events is the x-events of the event stream the request opens, nil when
// it opens none the document describes.
func (k *apiContract) events(req *http.Request) (map[string]sseEvent, error) {
	route, _, err := k.router.FindRoute(req)
	if err != nil {
		return nil, err
	}
	res := route.Operation.Responses.Status(http.StatusOK)
	if res == nil || res.Value.Content.Get("text/event-stream") == nil {
		return nil, fmt.Errorf("%s %s: the document describes no event stream", req.Method, req.URL.Path)
	}
	raw, err := json.Marshal(res.Value.Content.Get("text/event-stream").Extensions["x-events"])
	if err != nil {
		return nil, err
	}
	var events map[string]sseEvent
	if err := json.Unmarshal(raw, &events); err != nil || len(events) == 0 {
		return nil, fmt.Errorf("%s %s: x-events %s: %v", req.Method, req.URL.Path, raw, err)
	}
	return events, nil
}

// checkEvent checks one message of an API event stream: a name the
// document lists, an SSE id when it says so, data of its schema, and the
// data's type (when it has one) the event's name.
func (k *apiContract) checkEvent(events map[string]sseEvent, m sseMessage) error {
	e, ok := events[m.event]
	if !ok {
		return fmt.Errorf("event %q is not in the document's x-events", m.event)
	}
	if e.ID != (m.id != "") {
		return fmt.Errorf("event %q: SSE id %q, the document says id %v", m.event, m.id, e.ID)
	}
	name, ok := strings.CutPrefix(e.Data.Ref, "#/components/schemas/")
	if !ok {
		return fmt.Errorf("event %q: data %q is not a component schema", m.event, e.Data.Ref)
	}
	if err := k.checkSchema(name, []byte(m.data)); err != nil {
		return fmt.Errorf("event %q: %w", m.event, err)
	}
	var typed struct{ Type *string }
	if json.Unmarshal([]byte(m.data), &typed) == nil && typed.Type != nil && *typed.Type != m.event {
		return fmt.Errorf("event %q has data of type %q", m.event, *typed.Type)
	}
	return nil
}
