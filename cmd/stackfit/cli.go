package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"stackfit/rules"
	"stackfit/version"
)

const usage = `stackfit recommends Django or Node.js for a project, and says why.

Usage:
  stackfit [serve] [flags]        run the web app (the default)
  stackfit questionnaire [flags]  print the questions as JSON
  stackfit criteria [flags]       print the criteria taken from the document as JSON
  stackfit evaluate [flags]       read {"answers": {...}} on stdin, print the evaluation as JSON
  stackfit check-ruleset [flags]  print a calibration report of the ruleset as JSON;
                                  exit 1 when it breaks a limit
                                  (stackfit check-ruleset -help lists them)
  stackfit version                print the version, commit and build date
  stackfit backup FILE [flags]    write a checked copy of the database to FILE, a new file,
                                  while the server runs; print what it holds as JSON
  stackfit restore FILE [flags]   check the backup FILE and put it in place of the database;
                                  the server must be stopped
  stackfit healthcheck [flags]    ask the server on --addr (env STACKFIT_ADDR) for /healthz;
                                  exit 1 unless it is healthy (a container's HEALTHCHECK)

Every command takes --version, and all but backup, restore and healthcheck --ruleset FILE
(env STACKFIT_RULESET) to use a ruleset of your own instead of the built-in one.
Backup and restore take --db FILE (env STACKFIT_DB), the server's database.
`

// exit codes
const (
	exitOK       = 0
	exitBadInput = 1 // the input or the ruleset is wrong
	exitUsage    = 2
)

// run is main without the process: arguments, streams and environment come in,
// an exit code goes out, so tests can drive every command.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	flags := flag.NewFlagSet("stackfit "+cmd, flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.Usage = func() {
		fmt.Fprint(stderr, usage)
		fmt.Fprintf(stderr, "\nFlags of stackfit %s:\n", cmd)
		flags.PrintDefaults()
	}
	copying := cmd == "backup" || cmd == "restore"
	var rulesetPath, db, addr string
	switch {
	case copying:
		flags.StringVar(&db, "db", defaultDB, "the server's SQLite database `file`")
	case cmd == "healthcheck":
		flags.StringVar(&addr, "addr", defaultAddr, "the server's `host:port`, as given to stackfit serve")
	default:
		flags.StringVar(&rulesetPath, "ruleset", "", "a ruleset `file` to use instead of the built-in one")
	}
	showVersion := flags.Bool("version", false, "print the version, commit and build date, and exit")
	var serve serveConfig
	var envErr error
	if cmd == "serve" {
		serve.flags(flags, getenv) // reports a bad variable when it starts
	} else {
		envErr = flagsFromEnv(flags, getenv, func(name string) bool { return name == "ruleset" || name == "db" || name == "addr" })
	}
	var check checkConfig
	if cmd == "check-ruleset" {
		check.flags(flags)
	}
	switch cmd {
	case "serve", "questionnaire", "criteria", "evaluate", "check-ruleset", "version", "backup", "restore", "healthcheck":
	case "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(stderr, "stackfit: unknown command %q (try: stackfit help)\n", cmd)
		return exitUsage
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	var file string
	if copying && flags.NArg() > 0 {
		// FILE, then perhaps more flags: the flag package stops at FILE.
		file = flags.Arg(0)
		if err := flags.Parse(flags.Args()[1:]); err != nil {
			return exitUsage
		}
	}
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "stackfit %s: unexpected argument %q\n", cmd, flags.Arg(0))
		return exitUsage
	}
	if cmd == "version" || *showVersion {
		fmt.Fprintln(stdout, version.Get())
		return exitOK
	}
	if envErr != nil {
		fmt.Fprintf(stderr, "stackfit %s: %v\n", cmd, envErr)
		return exitUsage
	}
	switch {
	case copying:
		return copyDatabase(ctx, cmd, file, db, stdout, stderr)
	case cmd == "healthcheck":
		return healthcheck(ctx, addr, stdout, stderr)
	}
	rs, err := loadRuleset(rulesetPath)
	var pathErr *fs.PathError
	switch {
	case errors.As(err, &pathErr):
		fmt.Fprintf(stderr, "stackfit: cannot read the ruleset: %v\n", err)
		return exitBadInput
	case err != nil:
		// One line a problem, each naming file:line and the id.
		fmt.Fprintf(stderr, "stackfit: the ruleset is not valid:\n%v\n", err)
		return exitBadInput
	}

	switch cmd {
	case "questionnaire":
		return printJSON(stdout, stderr, rs.Questionnaire())
	case "criteria":
		return printJSON(stdout, stderr, rs.Catalogue())
	case "evaluate":
		answers, err := rules.DecodeRequest(stdin)
		if err == nil {
			var ev *rules.Evaluation
			if ev, err = rs.Evaluate(answers); err == nil {
				return printJSON(stdout, stderr, ev)
			}
		}
		fmt.Fprintf(stderr, "stackfit evaluate: %v\n", err)
		return exitBadInput
	case "check-ruleset":
		return check.run(rs, stdout, stderr)
	}
	return serve.run(ctx, rs, stdout, stderr)
}

// checkConfig holds the flags of check-ruleset.
type checkConfig struct {
	sample int
	seed   uint64
	limits rules.Limits
}

func (c *checkConfig) flags(fs *flag.FlagSet) {
	fs.IntVar(&c.sample, "sample", 20000, "how many random fully answered `sets` to evaluate")
	fs.Uint64Var(&c.seed, "seed", 1, "the random `seed`; the same seed gives the same report")
	d := rules.DefaultLimits
	fs.Float64Var(&c.limits.MinLean, "min-lean", d.MinLean, "fail when Django:Node.js recommendations fall below this `ratio`")
	fs.Float64Var(&c.limits.MaxLean, "max-lean", d.MaxLean, "fail when Django:Node.js recommendations rise above this `ratio`")
	fs.Float64Var(&c.limits.MinHigh, "min-high", d.MinHigh, "fail when fewer than this `share` of results have high confidence")
	fs.Float64Var(&c.limits.MaxTie, "max-tie", d.MaxTie, "fail when more than this `share` of results are ties")
}

func (c *checkConfig) run(rs *rules.Ruleset, stdout, stderr io.Writer) int {
	if c.sample < 1 {
		fmt.Fprintln(stderr, "stackfit check-ruleset: --sample must be at least 1")
		return exitUsage
	}
	report := rs.Calibrate(c.sample, c.seed, c.limits)
	if code := printJSON(stdout, stderr, report); code != exitOK {
		return code
	}
	if len(report.Problems) > 0 {
		fmt.Fprintf(stderr, "stackfit check-ruleset: %s\n", strings.Join(report.Problems, "; "))
		return exitBadInput
	}
	return exitOK
}

func loadRuleset(path string) (*rules.Ruleset, error) {
	if path == "" {
		return rules.Builtin()
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return rules.Load(path, data)
}

func printJSON(stdout, stderr io.Writer, v any) int {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(stderr, "stackfit: %v\n", err)
		return exitBadInput
	}
	return exitOK
}
