package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"stackfit/rules"
)

// serveConfig is the web server's configuration: flags, with environment
// variables as their defaults.
type serveConfig struct {
	addr string
	db   string
}

func (c *serveConfig) flags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.addr, "addr", orDefault(getenv("STACKFIT_ADDR"), "127.0.0.1:8080"), "listen on `host:port` (env STACKFIT_ADDR)")
	fs.StringVar(&c.db, "db", orDefault(getenv("STACKFIT_DB"), "stackfit.db"), "SQLite database `file` (env STACKFIT_DB)")
}

func (c *serveConfig) run(ctx context.Context, rs *rules.Ruleset, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "stackfit: the web app is not built yet; use the questionnaire, criteria and evaluate commands")
	return exitUsage
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
