package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"time"
)

// process is a server the bench started, with the address it listens on.
type process struct {
	cmd  *exec.Cmd
	base string // http://127.0.0.1:port
	addr string // 127.0.0.1:port
}

var readyLine = regexp.MustCompile(`ready on (http://\S+)`)

// start runs bin with args and waits for its "ready on http://…" line. Its
// request log is read and dropped, so logging costs the server what it costs
// in production without filling a pipe.
func start(bin string, args ...string) (*process, error) {
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := readyLine.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-found:
		return &process{cmd: cmd, base: base, addr: strings.TrimPrefix(base, "http://")}, nil
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s did not say it was ready within 30 s", bin)
	}
}

func (p *process) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// memory is the process's resident set and its high-water mark, in KiB,
// from /proc/<pid>/status (Linux).
func (p *process) memory() (rss, hwm int) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			fmt.Sscan(rest, &rss)
		}
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Sscan(rest, &hwm)
		}
	}
	return rss, hwm
}
