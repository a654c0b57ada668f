package main

import (
	"bufio"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const unitFile = "../../deploy/stackfit.service"

// TestSystemdUnit checks deploy/stackfit.service with systemd's own tools,
// its ExecStart pointed at a real stackfit binary: verify must find nothing
// to say, and the security review must stay at the exposure it has (1.2).
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed here: deploy/stackfit.service was not verified")
	}
	unit := readFile(t, unitFile)
	settings := map[string]string{}
	for _, line := range strings.Split(unit, "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && !strings.HasPrefix(line, "#") {
			settings[k] += v // SystemCallFilter= appears twice
		}
	}
	for key, want := range map[string]string{
		"ExecStart": "/usr/local/bin/stackfit serve", "DynamicUser": "yes", "StateDirectory": "stackfit",
		"ProtectSystem": "strict", "NoNewPrivileges": "yes", "PrivateTmp": "yes", "ProtectHome": "yes",
		"Restart": "on-failure", "KillSignal": "SIGTERM", "EnvironmentFile": "/etc/stackfit/stackfit.env",
	} {
		if settings[key] != want {
			t.Errorf("%s=%s, want %s", key, settings[key], want)
		}
	}
	if !strings.Contains(unit, "Environment=STACKFIT_DB=/var/lib/stackfit/") {
		t.Error("the database is not in the state directory /var/lib/stackfit")
	}
	stop, err := time.ParseDuration(settings["TimeoutStopSec"])
	if err != nil || stop <= shutdownGrace {
		t.Errorf("TimeoutStopSec=%s: want more than the %s stackfit takes to stop (%v)", settings["TimeoutStopSec"], shutdownGrace, err)
	}
	checkBaseURLRequired(t, settings["ExecStartPre"])

	bin := buildBinary(t)
	dir := t.TempDir()
	local := filepath.Join(dir, "stackfit.service")
	if err := os.WriteFile(local, []byte(strings.ReplaceAll(unit, "/usr/local/bin/stackfit", bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(analyze, "verify", "--man=no", local).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	// --threshold is in tenths: fail above an exposure of 2.0.
	if out, err := exec.Command(analyze, "security", "--offline=true", "--threshold=20", local).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze security: %v\n%s", err, out)
	}
}

// checkBaseURLRequired runs the unit's ExecStartPre check without and with
// STACKFIT_BASE_URL.
func checkBaseURLRequired(t *testing.T, execStartPre string) {
	t.Helper()
	script, ok := strings.CutPrefix(execStartPre, "/bin/sh -c '")
	if !ok || !strings.HasSuffix(script, "'") {
		t.Fatalf("ExecStartPre=%s: want /bin/sh -c '<check of STACKFIT_BASE_URL>'", execStartPre)
	}
	script = strings.ReplaceAll(strings.TrimSuffix(script, "'"), "$$", "$") // systemd's unescaping
	cmd := exec.Command("/bin/sh", "-c", script)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "set STACKFIT_BASE_URL") {
		t.Errorf("without STACKFIT_BASE_URL the unit's check says %q (%v), want a refusal that names it", out, err)
	}
	cmd = exec.Command("/bin/sh", "-c", script)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "STACKFIT_BASE_URL=https://stackfit.example"}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("with STACKFIT_BASE_URL the unit's check fails: %v %s", err, out)
	}
}

// TestReleaseBuild builds stackfit with scripts/build, as the Dockerfile
// does, and runs it as the container would: as the image's user (when the
// test may switch users), with the image's environment, its database in a
// data directory that user owns, listening on every address.
func TestReleaseBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the release binary")
	}
	dockerfile := readFile(t, "../../Dockerfile")
	if !regexp.MustCompile(`(?m)^RUN .*\./scripts/build `).MatchString(dockerfile) {
		t.Fatal("the Dockerfile does not build with scripts/build: the test would not build what it builds")
	}
	if !strings.Contains(dockerfile, `CMD ["/usr/local/bin/stackfit", "healthcheck"]`) {
		t.Error("the Dockerfile's HEALTHCHECK is not stackfit healthcheck")
	}
	env := dockerEnv(t, dockerfile)
	if env["STACKFIT_DB"] != "/data/stackfit.db" || env["STACKFIT_ADDR"] != ":8080" {
		t.Fatalf("the Dockerfile's environment is %v, want the database in /data and :8080", env)
	}

	// Readable and searchable by the image's user, as / is in the image.
	dir, err := os.MkdirTemp("", "stackfit-release-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "stackfit")
	const version, commit, date = "v0.0.0-release-test", "0123456789abcdef0123456789abcdef01234567", "2026-01-02T03:04:05Z"
	build := exec.Command("../../scripts/build", bin)
	build.Env = append(os.Environ(), "VERSION="+version, "COMMIT="+commit, "DATE="+date)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/build: %v\n%s", err, out)
	}

	uid, gid := dockerUser(t, dockerfile)
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		t.Fatal(err)
	}
	asImageUser := func(cmd *exec.Cmd) {}
	if os.Geteuid() == 0 {
		if err := os.Chown(data, uid, gid); err != nil {
			t.Fatal(err)
		}
		asImageUser = func(cmd *exec.Cmd) {
			cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
		}
	} else {
		t.Logf("not root: runs as uid %d, not the image's %d", os.Geteuid(), uid)
	}
	// The image's environment, its paths under this test's directory, on
	// any free port.
	containerEnv := []string{"PATH=/usr/bin:/bin", "STACKFIT_DB=" + filepath.Join(data, "stackfit.db"), "STACKFIT_ADDR=:0"}

	// Listening on every address without its public URL, it refuses.
	refused := exec.Command(bin)
	refused.Env = containerEnv
	asImageUser(refused)
	if out, err := refused.CombinedOutput(); err == nil || !strings.Contains(string(out), "set --base-url (env STACKFIT_BASE_URL)") {
		t.Errorf("without STACKFIT_BASE_URL: %v\n%s", err, out)
	}

	srv := exec.Command(bin, "serve") // the image's ENTRYPOINT and CMD
	srv.Env = append(containerEnv, "STACKFIT_BASE_URL=https://stackfit.example")
	asImageUser(srv)
	srv.Stderr = os.Stderr
	stdout, err := srv.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Process.Kill(); srv.Wait() })
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := regexp.MustCompile(`ready on http://\S*:(\d+) `).FindStringSubmatch(sc.Text()); m != nil {
				port <- m[1]
			}
		}
	}()
	var p string
	select {
	case p = <-port:
	case <-time.After(30 * time.Second):
		t.Fatal("the release build did not say it was ready")
	}

	res, err := http.Get("http://127.0.0.1:" + p + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	err = json.NewDecoder(res.Body).Decode(&health)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz: %d %v", res.StatusCode, err)
	}
	if health["version"] != version || health["commit"] != commit || health["built"] != date {
		t.Errorf("/healthz says %v, want the version, commit and date scripts/build was given", health)
	}

	// The image's HEALTHCHECK, with the image's STACKFIT_ADDR (the port aside).
	check := exec.Command(bin, "healthcheck")
	check.Env = append(containerEnv[:len(containerEnv)-1:len(containerEnv)-1], "STACKFIT_ADDR=:"+p)
	asImageUser(check)
	if out, err := check.CombinedOutput(); err != nil || !strings.Contains(string(out), `"status": "ok"`) {
		t.Errorf("stackfit healthcheck: %v\n%s", err, out)
	}

	if os.Geteuid() == 0 {
		fi, err := os.Stat(filepath.Join(data, "stackfit.db"))
		if err != nil {
			t.Fatal(err)
		}
		if st := fi.Sys().(*syscall.Stat_t); int(st.Uid) != uid {
			t.Errorf("the database belongs to uid %d, not the image's user %d", st.Uid, uid)
		}
	}

	// docker stop: SIGTERM, and a clean exit well within its grace.
	srv.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- srv.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Error("the release build did not stop within 15 s of SIGTERM")
	}
}

// dockerEnv is the environment the Dockerfile's ENV lines set.
func dockerEnv(t *testing.T, dockerfile string) map[string]string {
	t.Helper()
	env := map[string]string{}
	joined := strings.ReplaceAll(dockerfile, "\\\n", " ")
	for _, m := range regexp.MustCompile(`(?m)^ENV (.+)$`).FindAllStringSubmatch(joined, -1) {
		for _, kv := range strings.Fields(m[1]) {
			if k, v, ok := strings.Cut(kv, "="); ok {
				env[k] = v
			}
		}
	}
	return env
}

// dockerUser is the runtime image's USER uid:gid.
func dockerUser(t *testing.T, dockerfile string) (uid, gid int) {
	t.Helper()
	m := regexp.MustCompile(`(?m)^USER (\d+):(\d+)$`).FindStringSubmatch(dockerfile)
	if m == nil {
		t.Fatal("the Dockerfile has no numeric USER uid:gid: the image would run as root")
	}
	uid, _ = strconv.Atoi(m[1])
	gid, _ = strconv.Atoi(m[2])
	if uid == 0 {
		t.Fatal("the Dockerfile's USER is root")
	}
	return uid, gid
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
