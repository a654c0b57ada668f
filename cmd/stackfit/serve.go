package main

import (
	"cmp"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"golang.org/x/net/netutil"

	"stackfit"
	"stackfit/events"
	"stackfit/handlers"
	"stackfit/handlers/respond"
	"stackfit/metrics"
	"stackfit/rules"
	"stackfit/store"
	"stackfit/version"
)

// serveConfig is the web server's configuration: flags, with environment
// variables as their defaults.
type serveConfig struct {
	addr       string
	db         string
	baseURL    string
	sessionKey string
	proxies    string
	streams    respond.StreamLimits
	// maxConns caps the open connections at the listener: past it, new
	// connections wait in the kernel's queue instead of costing a
	// descriptor and a goroutine each.
	maxConns int
	// resultPages is how many rendered result pages are kept, 0 for none.
	resultPages int
	limits      stackfit.Limits
	logFormat   string
	logLevel    slog.Level
	// metricsAddr is where /metrics is served, apart from the site; empty
	// for no metrics.
	metricsAddr string
	// envErr is a bad value in a STACKFIT_ variable, reported at start.
	envErr error
}

// The default caps. A whole office behind one address (600 streams) can
// follow a full workshop (500 participants, the board, the presenter view
// and reconnecting tabs, 1000 a workshop); 3000 streams in all cost about
// 100 MB; the listener keeps 1000 connections beyond them for the pages, so
// the site answers with every stream slot taken. Each needs a descriptor:
// keep ulimit -n above --max-connections.
var defaultStreams = respond.StreamLimits{PerClient: 600, PerWorkshop: 1000, Total: 3000}

const defaultMaxConns = 4000

// defaultAddr is where serve listens, and healthcheck asks, without --addr.
const defaultAddr = "127.0.0.1:8080"

// defaultDB is the database of serve, backup and restore without --db.
const defaultDB = "stackfit.db"

func (c *serveConfig) flags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.addr, "addr", defaultAddr, "listen on `host:port`")
	fs.StringVar(&c.db, "db", defaultDB, "SQLite database `file`, or a postgres:// URL (PostgreSQL, which several instances can share)")
	fs.StringVar(&c.baseURL, "base-url", "", "public `URL` used in share links")
	fs.StringVar(&c.proxies, "trusted-proxy", "", "comma-separated `networks` (CIDR) of reverse proxies whose X-Forwarded-For to believe")
	fs.IntVar(&c.streams.PerClient, "max-streams-per-client", defaultStreams.PerClient, "event streams one client address may hold open, 0 for no cap")
	fs.IntVar(&c.streams.PerWorkshop, "max-streams-per-workshop", defaultStreams.PerWorkshop, "event streams open on one workshop, 0 for no cap")
	fs.IntVar(&c.streams.Total, "max-streams", defaultStreams.Total, "event streams open in all, 0 for no cap")
	fs.IntVar(&c.maxConns, "max-connections", defaultMaxConns, "open connections at once, 0 for no cap; keep it above --max-streams")
	fs.IntVar(&c.resultPages, "result-pages", handlers.DefaultResultPages,
		"rendered result pages kept in memory (compressed, about 3 KB each), 0 to render every time")
	fs.StringVar(&c.metricsAddr, "metrics-addr", "",
		"serve Prometheus metrics at /metrics on `host:port`, a listener apart from the site's (empty: no metrics)")
	c.limitFlags(fs)
	c.logFlags(fs)
	c.sessionKey = getenv("STACKFIT_SESSION_KEY")
	c.envErr = flagsFromEnv(fs, getenv, func(name string) bool { return name != "version" })
}

// limitFlags declares the per-address limits and the largest workshop.
func (c *serveConfig) limitFlags(fs *flag.FlagSet) {
	l := &c.limits
	*l = stackfit.DefaultLimits()
	rates := []struct {
		name, what string
		rate       *stackfit.Rate
	}{
		{"results", "results made", &l.Results},
		{"workshops", "workshops created", &l.Workshops},
		{"submissions", "joins and answers sent to workshops", &l.Submissions},
	}
	for _, r := range rates {
		fs.IntVar(&r.rate.Burst, r.name+"-burst", r.rate.Burst, fmt.Sprintf("`n` %s at once per client address", r.what))
		fs.Float64Var(&r.rate.PerMinute, r.name+"-per-minute", r.rate.PerMinute, fmt.Sprintf("then `n` more %s a minute per address", r.what))
	}
	fs.BoolVar(&l.Off, "no-limits", false, "switch off every per-address limit, for load tests behind a gateway that limits")
	fs.IntVar(&l.MaxCapacity, "max-capacity", l.MaxCapacity, "the most participants a facilitator may allow in one workshop")
}

func (c *serveConfig) logFlags(fs *flag.FlagSet) {
	fs.StringVar(&c.logFormat, "log-format", "text", "log lines as `text` (key=value) or json")
	fs.TextVar(&c.logLevel, "log-level", slog.LevelInfo, "log from this `level` on: debug, info, warn or error")
}

// logger writes the server's log to stderr in the chosen format.
func (c *serveConfig) logger(stderr io.Writer) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: c.logLevel}
	switch c.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(stderr, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(stderr, opts)), nil
	}
	return nil, fmt.Errorf("--log-format %q: want text or json", c.logFormat)
}

// envName is the environment variable of a flag: --max-streams is
// STACKFIT_MAX_STREAMS.
func envName(flagName string) string {
	return "STACKFIT_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// flagsFromEnv gives each flag that wants one an environment variable: its
// usage names it, and its value is applied before the command line is
// parsed, so a flag beats the environment and a bad value is reported like
// a bad flag.
func flagsFromEnv(fs *flag.FlagSet, getenv func(string) string, wants func(name string) bool) error {
	var errs error
	fs.VisitAll(func(f *flag.Flag) {
		if !wants(f.Name) {
			return
		}
		variable := envName(f.Name)
		f.Usage += " (env " + variable + ")"
		if v := getenv(variable); v != "" {
			if err := fs.Set(f.Name, v); err != nil {
				errs = errors.Join(errs, fmt.Errorf("%s=%q: %w", variable, v, err))
			}
		}
	})
	return errs
}

// checkLimits refuses limits that would make no sense, and warns about
// those that weaken the server or a workshop.
func (c *serveConfig) checkLimits(log *slog.Logger) error {
	if c.envErr != nil {
		return c.envErr
	}
	for name, n := range map[string]int{"max-streams-per-client": c.streams.PerClient, "max-streams-per-workshop": c.streams.PerWorkshop,
		"max-streams": c.streams.Total, "max-connections": c.maxConns, "result-pages": c.resultPages} {
		if n < 0 {
			return fmt.Errorf("--%s must be 0 or more", name)
		}
	}
	l := c.limits
	for name, r := range map[string]stackfit.Rate{"results": l.Results, "workshops": l.Workshops, "submissions": l.Submissions} {
		if r.Burst < 1 || r.PerMinute <= 0 {
			return fmt.Errorf("--%s-burst must be at least 1 and --%s-per-minute above 0 (--no-limits switches the limits off)", name, name)
		}
	}
	if l.MaxCapacity < 1 {
		return errors.New("--max-capacity must be at least 1")
	}
	if l.Off {
		c.streams.PerClient = 0 // the per-address stream cap is one of them
		log.Warn("per-address limits are off (--no-limits): any one client may make results, workshops and submissions, guess join codes and open event streams, without limit; serve like this only behind a gateway that limits")
	} else if l.Submissions.Burst < l.MaxCapacity {
		log.Warn("a whole office behind one address cannot fill a workshop: --submissions-burst is below --max-capacity",
			"submissions_burst", l.Submissions.Burst, "max_capacity", l.MaxCapacity)
	}
	return nil
}

// shutdownGrace is how long in-flight requests get to finish on SIGINT/SIGTERM.
const shutdownGrace = 10 * time.Second

func (c *serveConfig) run(ctx context.Context, rs *rules.Ruleset, stdout, stderr io.Writer) int {
	buffered := newLogBuffer(stderr)
	defer buffered.Close()
	log, err := c.logger(buffered)
	if err != nil {
		fmt.Fprintf(stderr, "stackfit: %v\n", err)
		return exitUsage
	}
	if err := c.serve(ctx, rs, stdout, log); err != nil {
		log.Error("stackfit stopped", "err", err)
		return exitBadInput
	}
	return exitOK
}

func (c *serveConfig) serve(ctx context.Context, rs *rules.Ruleset, stdout io.Writer, log *slog.Logger) error {
	build := version.Get()
	log.Info("starting stackfit", "version", build.Version, "commit", build.Commit, "built", build.Date, "ruleset", rs.Version)
	if err := c.checkLimits(log); err != nil {
		return err
	}
	if err := c.checkOrigin(); err != nil {
		return err
	}
	// The store publishes each workshop change to the hub, which carries it
	// to the live boards (on PostgreSQL, the other instances' changes too);
	// the app reads and writes through the store.
	hub := events.NewHub()
	var m *metrics.Metrics // nil: nothing is counted
	if c.metricsAddr != "" {
		m = metrics.New()
	}
	st, err := openDatabase(ctx, c.db, hub, m, log)
	if err != nil {
		return fmt.Errorf("open database %s: %w", databaseName(c.db), err)
	}
	m.CountWorkshops(st.CountWorkshops)
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close database", "err", err)
		}
	}()
	keys, err := c.sessionKeys(ctx, st)
	if err != nil {
		return err
	}
	var proxies []string
	if c.proxies != "" {
		proxies = strings.Split(c.proxies, ",")
	}
	stopping := make(chan struct{})
	appOpts := []stackfit.Option{stackfit.WithLimits(c.limits)}
	allowances := "memory (this instance's own)"
	if al, err := sharedAllowances(ctx, st); err != nil {
		return err
	} else if al != nil {
		defer al.Close() // deferred after st.Close, so run before it
		appOpts = append(appOpts, stackfit.WithAllowances(al, log))
		allowances = "database (shared by every instance on it)"
	}
	h, err := handlers.New(handlers.Config{App: stackfit.New(rs, st, hub, appOpts...), Logger: log,
		BaseURL: c.baseURL, SessionKeys: keys, TrustedProxies: proxies, Stopping: stopping, StreamLimits: c.streams,
		ResultPages: cmp.Or(c.resultPages, -1), Build: version.Get(), Metrics: m})
	if err != nil {
		return err
	}
	// Starting borrows memory it then drops: the migrations' parser (goose)
	// takes 4 MB buffers, as does gzipping the static files at gzip's best.
	// Give it back now rather than over the next minutes, so what the server
	// holds is what it uses.
	debug.FreeOSMemory()
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if c.maxConns > 0 {
		ln = netutil.LimitListener(ln, c.maxConns)
	}
	log.Info("limits (0: none)", "streams_per_client", c.streams.PerClient, "streams_per_workshop", c.streams.PerWorkshop,
		"streams", c.streams.Total, "connections", c.maxConns, "write_deadline", store.WriteDeadline, "rate_limits_kept_in", allowances)
	if c.maxConns > 0 && c.streams.Total >= c.maxConns {
		log.Warn("--max-streams is not below --max-connections: with every stream open, pages would wait for a connection")
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Event streams never go idle on their own: end them when shutdown
	// starts, so Shutdown is not kept waiting for the whole grace period.
	srv.RegisterOnShutdown(func() { close(stopping) })
	metricsSrv, metricsLn, err := c.listenMetrics(m, log)
	if err != nil {
		ln.Close()
		return err
	}
	done := make(chan error, 2)
	go func() { done <- srv.Serve(ln) }()
	ready := fmt.Sprintf("stackfit is ready on http://%s (ruleset %s, database %s", ln.Addr(), rs.Version, databaseName(c.db))
	if metricsSrv != nil {
		go func() { done <- metricsSrv.Serve(metricsLn) }()
		ready += fmt.Sprintf("; metrics on http://%s/metrics", metricsLn.Addr())
	}
	fmt.Fprintln(stdout, ready+")")

	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	if metricsSrv != nil {
		// Last, so a scrape sees the requests of the grace period.
		if err := metricsSrv.Shutdown(shutdownCtx); err != nil {
			return fmt.Errorf("shutdown metrics: %w", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}

// listenMetrics opens --metrics-addr for m's /metrics: a listener of its
// own, so the public one never answers /metrics, and a firewall or the
// address (127.0.0.1, a private network) decides who may scrape. It
// returns a nil server when metrics are off.
func (c *serveConfig) listenMetrics(m *metrics.Metrics, log *slog.Logger) (*http.Server, net.Listener, error) {
	if m == nil {
		return nil, nil, nil
	}
	ln, err := net.Listen("tcp", c.metricsAddr)
	if err != nil {
		return nil, nil, fmt.Errorf("--metrics-addr: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if !isLoopback(c.metricsAddr) {
		log.Warn("metrics are served beyond this machine: let only the scraper reach --metrics-addr", "metrics_addr", c.metricsAddr)
	}
	return srv, ln, nil
}

// sessionKeys come from STACKFIT_SESSION_KEY when set (so several instances
// share them), else from the database, where they are generated once: either
// way a restart does not log anyone out.
func (c *serveConfig) sessionKeys(ctx context.Context, st stackfit.Store) ([2][]byte, error) {
	if c.sessionKey != "" {
		if len(c.sessionKey) < 32 {
			return [2][]byte{}, errors.New("STACKFIT_SESSION_KEY must be at least 32 characters")
		}
		hash, err := hkdf.Key(sha256.New, []byte(c.sessionKey), nil, "stackfit session hash key", 64)
		if err != nil {
			return [2][]byte{}, err
		}
		block, err := hkdf.Key(sha256.New, []byte(c.sessionKey), nil, "stackfit session block key", 32)
		return [2][]byte{hash, block}, err
	}
	hash, block, err := st.SessionKeys(ctx)
	if err != nil {
		return [2][]byte{}, fmt.Errorf("session keys: %w", err)
	}
	return [2][]byte{hash, block}, nil
}

// checkOrigin refuses to serve beyond this machine without --base-url:
// links would otherwise be made from the Host header, which anyone can set
// (a board link carrying the facilitator key could point at another site).
// miniflux and Gitea also require their public URL.
func (c *serveConfig) checkOrigin() error {
	if c.baseURL != "" || isLoopback(c.addr) {
		return nil
	}
	return fmt.Errorf("--addr %s listens beyond this machine: set --base-url (env STACKFIT_BASE_URL) to the address people use, "+
		"such as https://stackfit.example, so share links, QR codes and the API's links point there; "+
		"or listen on 127.0.0.1 only", c.addr)
}

// isLoopback tells whether addr (host:port) listens on this machine only:
// a loopback IP or "localhost". An empty host listens everywhere.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}
