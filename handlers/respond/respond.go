// Package respond is what both front doors, the pages (handlers) and the
// JSON API (handlers/api), need to answer a request the same way: the HTTP
// status of each of the core's errors, the public address of a path, and
// event streams.
package respond

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/rules"
)

// Friendly holds sentences a person can act on, by status, for errors that
// carry none of their own.
var Friendly = map[int]string{
	http.StatusNotFound:              "We could not find that page. If someone sent you a link, check that it was copied whole.",
	http.StatusMethodNotAllowed:      "That address does not take this kind of request.",
	http.StatusRequestEntityTooLarge: "That was more data than stackfit accepts (64 KiB).",
	http.StatusInternalServerError:   "Something went wrong on our side. Your answers are kept; try again in a moment.",
	http.StatusServiceUnavailable:    "stackfit is too busy to answer right now. Nothing was lost: try again in a few seconds.",
	http.StatusRequestTimeout:        "Your request took too long to arrive. Check your connection and try again.",
}

// StatusClientClosed is nginx's 499: the client went away before the
// answer, which is nobody's fault on the server.
const StatusClientClosed = 499

// statusOf is the HTTP status of each of the application's error codes: the
// one table where the core's errors become statuses, for pages and API alike.
var statusOf = map[string]int{
	stackfit.EINVALID:      http.StatusBadRequest,
	stackfit.ENOTFOUND:     http.StatusNotFound,
	stackfit.ECLOSED:       http.StatusConflict,
	stackfit.EUNAUTHORIZED: http.StatusUnauthorized,
	stackfit.ELIMIT:        http.StatusTooManyRequests,
	// A full or locked workshop is the workshop's state, not this client's
	// pace: 409 like a closed one, since waiting (what 429 and Retry-After
	// would say) does not free a place, the facilitator does.
	stackfit.EFULL:        http.StatusConflict,
	stackfit.EUNAVAILABLE: http.StatusServiceUnavailable,
}

// Status is the HTTP status of err and the sentence to show for it ("" for
// a server error, whose cause is for the log only).
func Status(err error) (int, string) {
	var he *echo.HTTPError
	var ae *rules.AnswerError
	switch {
	// The client's doing, whatever wraps it: its body did not arrive within
	// the server's read timeout, or it hung up (the request's context).
	case errors.Is(err, os.ErrDeadlineExceeded):
		return http.StatusRequestTimeout, Friendly[http.StatusRequestTimeout]
	case errors.Is(err, context.Canceled):
		return StatusClientClosed, ""
	case errors.As(err, &he):
		msg, _ := he.Message.(string)
		// Echo's own errors carry only the status text: say something useful.
		switch he.Code {
		case http.StatusNotFound, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
			if strings.EqualFold(msg, http.StatusText(he.Code)) {
				msg = Friendly[he.Code]
			}
		}
		return he.Code, msg
	case errors.As(err, &ae):
		return http.StatusBadRequest, ae.Error()
	}
	status, ok := statusOf[stackfit.ErrorCode(err)]
	if !ok {
		return http.StatusInternalServerError, ""
	}
	// An error without a sentence of its own says what its status usually says.
	msg := stackfit.ErrorMessage(err)
	if msg == "" {
		msg = Friendly[status]
	}
	return status, msg
}

// RetryAfter sets the Retry-After header when err asks to wait (ELIMIT, EUNAVAILABLE),
// in whole seconds and at least one.
func RetryAfter(c echo.Context, err error) {
	if wait := stackfit.RetryAfter(err); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	}
}

// Links makes the public addresses put in share links, QR codes and API
// replies.
type Links struct {
	base *url.URL // nil: taken from each request
	// proxies may say the scheme the client used (X-Forwarded-Proto); from
	// anyone else that header is ignored.
	proxies []netip.Prefix
}

// NewLinks uses baseURL ("https://stackfit.example") for every link; empty,
// links use the address each request came to, which cmd/stackfit allows on
// a loopback address only. X-Forwarded-Proto counts only from the networks
// of trusted proxies.
func NewLinks(baseURL string, proxies []netip.Prefix) (Links, error) {
	if baseURL == "" {
		return Links{proxies: proxies}, nil
	}
	u, err := url.Parse(strings.TrimSuffix(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Links{}, fmt.Errorf("base URL %q: want http(s)://host[:port]", baseURL)
	}
	return Links{base: u, proxies: proxies}, nil
}

// Secure tells whether the configured address is https: cookies then get
// the Secure flag.
func (l Links) Secure() bool { return l.base != nil && l.base.Scheme == "https" }

// Abs is the public address of path: the configured base URL, or else the
// address this request came to.
func (l Links) Abs(c echo.Context, path string) string {
	if l.base != nil {
		return l.base.String() + path
	}
	return l.scheme(c.Request()) + "://" + c.Request().Host + path
}

// scheme is https for TLS, or when a trusted proxy says so; http otherwise.
func (l Links) scheme(r *http.Request) string {
	if r.TLS != nil {
		return "https"
	}
	if proto := r.Header.Get(echo.HeaderXForwardedProto); strings.EqualFold(proto, "https") && l.fromProxy(r) {
		return "https"
	}
	return "http"
}

func (l Links) fromProxy(r *http.Request) bool {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := peer.Addr().Unmap()
	for _, p := range l.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// CacheControl sets the Cache-Control header of every response of a route,
// errors included, to value ("no-store", "private").
func CacheControl(value string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Cache-Control", value)
			return next(c)
		}
	}
}
