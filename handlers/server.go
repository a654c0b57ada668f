// Package handlers is stackfit's web layer: the questionnaire, result pages,
// share links, workshops and their event streams, with the JSON API
// (handlers/api) mounted beside them. Handlers parse and validate input,
// call the application (stackfit.App), and render; nothing else.
package handlers

import (
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/api"
	"stackfit/handlers/respond"
	"stackfit/rules"
	"stackfit/static"
	"stackfit/views"
)

// Config is what the web layer needs from outside.
type Config struct {
	App    *stackfit.App
	Logger *slog.Logger
	// BaseURL is the public address used in share links ("https://stackfit.example").
	// Empty: links use the address the request came to.
	BaseURL string
	// SessionKeys sign and encrypt the session cookie (hash key, block key).
	SessionKeys [2][]byte
	// TrustedProxies are the networks (CIDR) of reverse proxies whose
	// X-Forwarded-For names the client. Empty: the client is the peer of
	// the connection, and that header is ignored, since anyone can set it.
	TrustedProxies []string
	// Stopping closes when the server shuts down, ending the event streams
	// that would otherwise keep their connections open past the grace period.
	Stopping <-chan struct{}
}

// Server holds every dependency of the handlers, and nothing else.
type Server struct {
	app      *stackfit.App
	rules    *rules.Ruleset // the app's, read by nearly every page
	log      *slog.Logger
	views    *views.Templates
	assets   *static.Assets
	sessions *sessions.CookieStore
	links    respond.Links
	secure   bool // served over TLS: cookies get the Secure flag
	api      *api.Handler
	stopping <-chan struct{}
}

// New builds the server and its routes. It fails if a template or asset is broken,
// so a bad build stops at start rather than on some person's request.
func New(cfg Config) (http.Handler, error) {
	s := &Server{app: cfg.App, rules: cfg.App.Rules(), log: cfg.Logger, stopping: cfg.Stopping}
	if s.stopping == nil {
		s.stopping = make(chan struct{}) // never closes
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.links, err = respond.NewLinks(cfg.BaseURL); err != nil {
		return nil, err
	}
	s.secure = s.links.Secure()
	s.api = api.New(api.Config{App: s.app, Links: s.links, Stopping: s.stopping})
	if s.assets, err = static.Load(); err != nil {
		return nil, err
	}
	if s.views, err = views.Parse(s.templateFuncs()); err != nil {
		return nil, err
	}
	s.sessions = sessions.NewCookieStore(cfg.SessionKeys[0], cfg.SessionKeys[1])
	s.sessions.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   60 * 24 * 3600, // progress is kept for two months
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	if e.IPExtractor, err = ipExtractor(cfg.TrustedProxies); err != nil {
		return nil, err
	}
	s.routes(e)
	return e, nil
}

func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"asset":  s.assets.URL,
		"side":   func(side rules.Side) string { return side.Name() },
		"add":    func(a, b int) int { return a + b },
		"plural": plural,
	}
}

// ipExtractor decides who the client is, for the join-code rate limit.
func ipExtractor(trusted []string) (echo.IPExtractor, error) {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect(), nil
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, cidr := range trusted {
		_, n, err := net.ParseCIDR(strings.TrimSpace(cidr))
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want a network such as 10.0.0.0/8", cidr)
		}
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...), nil
}
