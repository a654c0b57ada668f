package handlers

import (
	"compress/gzip"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"stackfit/handlers/respond"
)

// bodyLimit bounds every request body; a full answer set is under 2 KiB.
const bodyLimit = "64K"

// contentSecurityPolicy allows only our own files: no inline script or style,
// no eval (htmx is configured by its meta tag and needs neither).
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(tls bool) echo.MiddlewareFunc {
	// Every response carries the same values: they are made once, and each
	// response's header map gets them without a Set (one allocation each).
	// Their slices are full (len == cap), so an Add elsewhere copies them.
	fixed := http.Header{}
	fixed.Set("Content-Security-Policy", contentSecurityPolicy)
	fixed.Set("X-Content-Type-Options", "nosniff")
	// Result links are capabilities: never send them to other sites.
	fixed.Set("Referrer-Policy", "same-origin")
	fixed.Set("X-Frame-Options", "DENY")
	fixed.Set("Cross-Origin-Opener-Policy", "same-origin")
	// No other site may embed our responses (results, QR codes, exports).
	fixed.Set("Cross-Origin-Resource-Policy", "same-origin")
	fixed.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	if tls {
		fixed.Set("Strict-Transport-Security", "max-age=31536000")
	}
	for k, v := range fixed {
		fixed[k] = slices.Clip(v)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Response().Header()
			for k, v := range fixed {
				h[k] = v
			}
			return next(c)
		}
	}
}

// logRequests writes one line a request, and counts it in the metrics. The
// line names the route pattern (/r/:id), not the path: a path carries share
// ids, join codes and keys, which are capabilities, and a log is read by more
// people than those the links were given to. The query (?key=) is never
// logged either.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err) // render the error now, so the line below has the real status
		}
		took := time.Since(start)
		req, res := c.Request(), c.Response()
		route := routeOf(c)
		s.metrics.Request(route, req.Method, res.Status, took)
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(req.Context(), level, "request",
			slog.String("method", req.Method),
			slog.String("route", route),
			slog.Int("status", res.Status),
			slog.Int64("bytes", res.Size),
			slog.Duration("duration", took),
			slog.String("client", c.RealIP()),
		)
		return nil
	}
}

// unmatched is the route of a request that matched none: its path is the
// client's to choose, so neither the log nor the metrics take it.
const unmatched = "unmatched"

// routeOf is the pattern of the route c matched (/w/:code/board).
func routeOf(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return unmatched
}

// recoverPanics turns a panic into a 500 page; the stack goes to the log only.
func (s *Server) recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		// Return the error instead: logRequests, outside, renders it and logs the line.
		DisableErrorHandler: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "route", routeOf(c), "err", err, "stack", string(stack))
			return fmt.Errorf("panic: %w", err)
		},
	})
}

// compressLevel trades a little size for speed: a result page is 23 KB,
// and the best ratio costs several times the CPU of the fastest.
const compressLevel = gzip.BestSpeed

// compressMinLength leaves alone what fits in a packet anyway.
const compressMinLength = 1024

// compress gzips the pages for a client that accepts it. An event stream is
// left alone: a compressor holds back what it has not filled a block with,
// and the stream's events must go out as they happen.
func compress() echo.MiddlewareFunc {
	return middleware.GzipWithConfig(middleware.GzipConfig{
		Level:     compressLevel,
		MinLength: compressMinLength,
		Skipper: func(c echo.Context) bool {
			return strings.HasSuffix(c.Path(), "/events")
		},
	})
}

// csrf protects form posts with Echo's CSRF middleware: a browser that sends
// Sec-Fetch-Site is checked by it, others need the token from the form
// (field _csrf) or, for htmx requests, the X-CSRF-Token header.
func (s *Server) csrf() echo.MiddlewareFunc {
	return middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     csrfCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   s.secure,
		CookieSameSite: http.SameSiteLaxMode,
		CookieMaxAge:   60 * 24 * 3600,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden, msgCSRF).SetInternal(err)
		},
		// A browser saying cross-site is refused with our own message; a
		// same-site one (another subdomain) must still show the token.
		AllowSecFetchSiteFunc: func(c echo.Context) (bool, error) {
			if c.Request().Header.Get(echo.HeaderSecFetchSite) == "cross-site" {
				return false, echo.NewHTTPError(http.StatusForbidden, msgCSRF)
			}
			return false, nil
		},
	})
}

const csrfCookie = "stackfit_csrf"

// csrfCookieOnce, inside Echo's CSRF middleware, takes back the cookie it
// sets on every response when a page read (GET, HEAD) already carried it
// with the same token: the browser has it. A form post still renews it, so
// the cookie of a browser in use keeps its two months.
func csrfCookieOnce(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Method != http.MethodGet && req.Method != http.MethodHead {
			return next(c)
		}
		if sent, err := req.Cookie(csrfCookie); err == nil && sent.Value != "" && sent.Value == c.Get("csrf") {
			h := c.Response().Header()
			kept := slices.DeleteFunc(h.Values("Set-Cookie"), func(v string) bool { return strings.HasPrefix(v, csrfCookie+"=") })
			if len(kept) == 0 {
				h.Del("Set-Cookie")
			} else {
				h["Set-Cookie"] = kept
			}
		}
		return next(c)
	}
}

const msgCSRF = "This form has expired or did not come from stackfit. Go back, reload the page and try again."

// headAsGet answers HEAD like GET without the body: link previewers and
// uptime checks probe with HEAD, and Echo routes only the methods declared.
func headAsGet(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Request().Method != http.MethodHead {
			return next(c)
		}
		c.Request().Method = http.MethodGet
		c.Response().Writer = respond.Bodyless{ResponseWriter: c.Response().Writer}
		return next(c)
	}
}

// noIndex asks search engines not to index a response: a share link is a
// capability for the people it was given to (the page says so too, in its
// robots meta tag, for crawlers that read only the page).
func noIndex(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("X-Robots-Tag", "noindex")
		return next(c)
	}
}
