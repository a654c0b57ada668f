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
)

const usage = `stackfit recommends Django or Node.js for a project, and says why.

Usage:
  stackfit [serve] [flags]        run the web app (the default)
  stackfit questionnaire [flags]  print the questions as JSON
  stackfit criteria [flags]       print the criteria taken from the document as JSON
  stackfit evaluate [flags]       read {"answers": {...}} on stdin, print the evaluation as JSON

Every command takes --ruleset FILE to use a ruleset of your own instead of the built-in one.
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
	flags.Usage = func() { fmt.Fprint(stderr, usage) }
	rulesetPath := flags.String("ruleset", "", "a ruleset `file` to use instead of the built-in one")
	var serve serveConfig
	if cmd == "serve" {
		serve.flags(flags, getenv)
	}
	switch cmd {
	case "serve", "questionnaire", "criteria", "evaluate":
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
	if flags.NArg() > 0 {
		fmt.Fprintf(stderr, "stackfit %s: unexpected argument %q\n", cmd, flags.Arg(0))
		return exitUsage
	}
	rs, err := loadRuleset(*rulesetPath)
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
	}
	return serve.run(ctx, rs, stdout, stderr)
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
