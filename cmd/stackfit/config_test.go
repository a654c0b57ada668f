package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"regexp"
	"strings"
	"testing"
)

// serveFlags are the flags of `stackfit serve` as its -help lists them,
// with the usage text of each.
func serveFlags(t *testing.T) map[string]string {
	t.Helper()
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"serve", "-help"}, strings.NewReader(""), &out, &errOut, func(string) string { return "" }); code != exitOK {
		t.Fatalf("serve -help: exit %d: %s", code, errOut.String())
	}
	flags := map[string]string{}
	var name string
	for _, line := range strings.Split(errOut.String(), "\n") {
		if m := regexp.MustCompile(`^  -([a-z-]+)`).FindStringSubmatch(line); m != nil {
			name = m[1]
			flags[name] = line
		} else if name != "" && strings.HasPrefix(line, "    \t") {
			flags[name] += " " + strings.TrimSpace(line)
		}
	}
	if len(flags) < 15 {
		t.Fatalf("found only %d flags in:\n%s", len(flags), errOut.String())
	}
	return flags
}

// TestEveryFlagHasAnEnvironmentVariable: a service manager or a container
// sets everything through the environment, so every serve flag (but
// --version) names its variable, the variable sets it, and README's tables
// list both.
func TestEveryFlagHasAnEnvironmentVariable(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for name, usage := range serveFlags(t) {
		t.Run(name, func(t *testing.T) {
			if !strings.Contains(string(readme), "`--"+name+"`") {
				t.Errorf("README does not list `--%s`", name)
			}
			if name == "version" {
				return
			}
			variable := envName(name)
			if !strings.Contains(usage, "(env "+variable+")") {
				t.Errorf("the usage of --%s does not name %s: %q", name, variable, usage)
			}
			if !strings.Contains(string(readme), "`"+variable) {
				t.Errorf("README does not list `%s`", variable)
			}
			if name == "ruleset" {
				return // declared by run for every command: TestRulesetFromEnvironment
			}
			// A value of the flag's type that is not its default.
			_, fs := serveFlagSet(func(string) string { return "" })
			var v string
			switch d := fs.Lookup(name).Value.(flag.Getter).Get().(type) {
			case string:
				v = d + "x"
			case int:
				v = fmt.Sprint(d + 7)
			case float64:
				v = fmt.Sprint(d + 1.5)
			case bool:
				v = fmt.Sprint(!d)
			case *slog.Level:
				v = "WARN"
			default:
				t.Fatalf("--%s: no test value for a %T", name, d)
			}
			c, fs := serveFlagSet(func(k string) string {
				if k == variable {
					return v
				}
				return ""
			})
			if c.envErr != nil {
				t.Fatalf("%s=%q refused: %v", variable, v, c.envErr)
			}
			if got := fs.Lookup(name).Value.String(); got != v {
				t.Errorf("%s=%q gives --%s %q", variable, v, name, got)
			}
		})
	}
}

func serveFlagSet(getenv func(string) string) (*serveConfig, *flag.FlagSet) {
	var c serveConfig
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.flags(fs, getenv)
	return &c, fs
}

// TestRulesetFromEnvironment: STACKFIT_RULESET picks the ruleset of every
// command, and a flag beats it.
func TestRulesetFromEnvironment(t *testing.T) {
	env := func(k string) string {
		if k == "STACKFIT_RULESET" {
			return "/nonexistent/ruleset.yaml"
		}
		return ""
	}
	var out, errOut bytes.Buffer
	if code := run(context.Background(), []string{"criteria"}, strings.NewReader(""), &out, &errOut, env); code != exitBadInput ||
		!strings.Contains(errOut.String(), "/nonexistent/ruleset.yaml") {
		t.Errorf("criteria with STACKFIT_RULESET unreadable: exit %d, stderr %q", code, errOut.String())
	}
	out.Reset()
	errOut.Reset()
	if code := run(context.Background(), []string{"criteria", "--ruleset", "../../rules/ruleset.yaml"}, strings.NewReader(""), &out, &errOut, env); code != exitOK {
		t.Errorf("--ruleset beside STACKFIT_RULESET: exit %d, stderr %q", code, errOut.String())
	}
}

// TestVersion: both spellings print one line naming the build and exit 0.
func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}, {"serve", "--version"}, {"evaluate", "--version"}} {
		var out, errOut bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errOut, func(string) string { return "" })
		if code != exitOK || !regexp.MustCompile(`^stackfit \S+ \(commit \S+.*, built .*\)\n$`).MatchString(out.String()) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out.String(), errOut.String())
		}
	}
}

// TestLogFormat: --log-format json gives one JSON object a line, the
// start-up line carrying the version; a format it does not know is refused.
func TestLogFormat(t *testing.T) {
	var errOut bytes.Buffer
	c, fs := serveFlagSet(func(string) string { return "" })
	if err := fs.Parse([]string{"--log-format", "json", "--log-level", "debug"}); err != nil {
		t.Fatal(err)
	}
	log, err := c.logger(&errOut)
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("starting stackfit", "version", "v9")
	var line map[string]any
	if err := json.Unmarshal(errOut.Bytes(), &line); err != nil || line["msg"] != "starting stackfit" || line["version"] != "v9" || line["level"] != "DEBUG" {
		t.Errorf("log line %q (%v)", errOut.String(), err)
	}
	c, fs = serveFlagSet(func(string) string { return "" })
	if err := fs.Parse([]string{"--log-format", "xml"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.logger(io.Discard); err == nil || !strings.Contains(err.Error(), "text or json") {
		t.Errorf("--log-format xml: %v", err)
	}
	if _, fs = serveFlagSet(func(string) string { return "" }); fs.Parse([]string{"--log-level", "loud"}) == nil {
		t.Error("--log-level loud accepted")
	}
}
