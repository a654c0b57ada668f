// Package handlers is stackfit's web layer: the questionnaire, result pages,
// share links, workshops and their event streams, with the JSON API
// (handlers/api) mounted beside them. Handlers parse and validate input,
// call the application (stackfit.App), and render; nothing else.
package handlers

import (
	"cmp"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"

	"github.com/labstack/echo/v4"

	"stackfit"
	"stackfit/handlers/api"
	"stackfit/handlers/respond"
	"stackfit/metrics"
	"stackfit/rules"
	"stackfit/static"
	"stackfit/version"
	"stackfit/views"
)

// Config is what the web layer needs from outside.
type Config struct {
	App    *stackfit.App
	Logger *slog.Logger
	// BaseURL is the public address used in share links ("https://stackfit.example").
	// Empty: links use the address the request came to, which cmd/stackfit
	// allows only when it listens on a loopback address.
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
	// ResultPages is how many rendered result pages are kept (zero:
	// DefaultResultPages; negative: none, every page is rendered).
	ResultPages int
	// StepPages is how many rendered questionnaire steps are kept, one for
	// each section and set of its answers seen (zero: DefaultStepPages;
	// negative: none). The home page a new visitor gets is kept with them.
	StepPages int
	// StreamLimits cap the event streams open at once (zero: no cap).
	StreamLimits respond.StreamLimits
	// Build is the running build, reported by /healthz.
	Build version.Info
	// Metrics counts requests, refusals, kept pages and open streams; nil
	// counts nothing (--metrics-addr unset).
	Metrics *metrics.Metrics
}

// Server holds every dependency of the handlers, and nothing else.
type Server struct {
	app      *stackfit.App
	rules    *rules.Ruleset // the app's, read by nearly every page
	log      *slog.Logger
	views    *views.Templates
	assets   *static.Assets
	cookies  progressCookies
	links    respond.Links
	secure   bool // served over TLS: cookies get the Secure flag
	api      *api.Handler
	stopping <-chan struct{}
	streams  *respond.Streams // the pages' and the API's
	teams    *teamFragments   // the team's result, rendered once per workshop change
	// resultPages keeps rendered result pages (showResult), stepPages the
	// questionnaire's steps (renderStep), homePages the home page of a new
	// visitor, by the address it was asked at (home).
	resultPages resultPages
	stepPages   keptPages[stepPageKey]
	homePages   keptPages[string]
	cards       cards // drawn share previews (resultCard, teamCard)
	build       version.Info
	metrics     *metrics.Metrics
}

// New builds the server and its routes. It fails if a template or asset is broken,
// so a bad build stops at start rather than on some person's request.
func New(cfg Config) (http.Handler, error) {
	s := &Server{app: cfg.App, rules: cfg.App.Rules(), log: cfg.Logger, stopping: cfg.Stopping, build: cfg.Build, metrics: cfg.Metrics,
		streams: respond.NewStreams(cfg.StreamLimits), teams: newTeamFragments()}
	if s.stopping == nil {
		s.stopping = make(chan struct{}) // never closes
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	proxies, err := parseNetworks(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	if s.links, err = respond.NewLinks(cfg.BaseURL, proxies); err != nil {
		return nil, err
	}
	s.secure = s.links.Secure()
	s.api = api.New(api.Config{App: s.app, Links: s.links, Stopping: s.stopping, Streams: s.streams})
	if s.assets, err = static.Load(); err != nil {
		return nil, err
	}
	if s.views, err = views.Parse(s.templateFuncs()); err != nil {
		return nil, err
	}
	size := cfg.ResultPages
	if size == 0 {
		size = DefaultResultPages
	}
	if s.resultPages, err = newResultPages(size, s.metrics); err != nil {
		return nil, err
	}
	steps := cmp.Or(cfg.StepPages, DefaultStepPages)
	if s.stepPages, err = newKeptPages[stepPageKey]("step", steps, nil, 0, s.metrics); err != nil {
		return nil, err
	}
	// A few addresses at most (a base URL, or loopback and a LAN name); the
	// bound keeps made-up Host headers from growing it.
	if s.homePages, err = newKeptPages[string]("home", min(steps, 8), nil, 0, s.metrics); err != nil {
		return nil, err
	}
	if s.cards, err = newCards(); err != nil {
		return nil, err
	}
	s.metrics.Streams(s.streams.Total)
	s.cookies = newProgressCookies(cfg.SessionKeys[0], cfg.SessionKeys[1], s.secure)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(proxies)
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

// parseNetworks reads the trusted proxies' networks (CIDR).
func parseNetworks(cidrs []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, cidr := range cidrs {
		p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want a network such as 10.0.0.0/8", cidr)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// ipExtractor decides who the client is, for the join-code rate limit and
// the stream caps.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		opts = append(opts, echo.TrustIPRange(&net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())}))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
