// Command stackfit-bench measures stackfit next to a minimal Echo server on
// the same machine, alternating them, and prints each endpoint's rate as a
// ratio to that ceiling, the latency of a 300-request burst of stored results
// beside the time of one durable commit on this disk, the server's peak
// memory, and the bytes of a first view against its 30 KB goal. Run it through scripts/bench, which builds both servers.
//
// The load generator is written here rather than taken from wrk: it needs
// per-endpoint cookies, CSRF tokens and 1,000 random result ids, which wrk
// only does through Lua scripts, and it then needs nothing installed. Each
// request is serialised once and sent on raw keep-alive connections, so the
// client costs little of the two cores it shares with the servers.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

type config struct {
	stackfit, ceiling string // binaries
	rounds            int
	duration          time.Duration // of one measurement
	conns             int
	seeded            int
	burst             int
	bursts            int
	label             string // the commit measured, for the report
	only              string // measure only the endpoints whose name holds this
}

func main() {
	var c config
	quick := flag.Bool("quick", false, "a run of about a minute: 2 rounds of 1.5 s per measurement")
	flag.StringVar(&c.stackfit, "stackfit", "", "the stackfit `binary`")
	flag.StringVar(&c.ceiling, "ceiling", "", "the reference server `binary` (cmd/stackfit-bench/ceiling)")
	flag.IntVar(&c.rounds, "rounds", 3, "rounds of measurements, each endpoint once per round after the reference")
	flag.DurationVar(&c.duration, "duration", 4*time.Second, "how long each measurement lasts")
	flag.IntVar(&c.conns, "connections", 64, "keep-alive connections during a measurement")
	flag.IntVar(&c.seeded, "results", 1000, "stored results that GET /r/{id} picks from at random")
	flag.IntVar(&c.burst, "burst", 300, "concurrent POST /api/v1/results in one burst")
	flag.IntVar(&c.bursts, "bursts", 3, "bursts, with the server's memory sampled through them")
	flag.StringVar(&c.label, "label", "", "what is measured (a commit), printed in the report")
	flag.StringVar(&c.only, "only", "", "measure only the endpoints whose name contains this `text` (e.g. /r/ to profile result pages)")
	flag.Parse()
	if *quick {
		c.rounds, c.duration = 2, 1500*time.Millisecond
	}
	if c.stackfit == "" || c.ceiling == "" {
		fmt.Fprintln(os.Stderr, "stackfit-bench: --stackfit and --ceiling are required (run scripts/bench)")
		os.Exit(2)
	}
	// However slow the machine, the run ends: the measurements are bounded
	// by their durations, the setup and the bursts by this.
	budget := time.Duration(c.rounds*len(endpointNames)*2)*(c.duration+time.Second) + 3*time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), budget)
	defer cancel()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "stackfit-bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	started := time.Now()
	dir, err := os.MkdirTemp("", "stackfit-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "bench.db")

	fmt.Printf("stackfit-bench %s, %s, %d CPUs (%s), %s\n", c.label, time.Now().UTC().Format("2006-01-02 15:04 UTC"),
		runtime.NumCPU(), cpuModel(), runtime.Version())
	fmt.Printf("%d round(s) x %v per measurement, %d connections, no compression asked on any request\n\n",
		c.rounds, c.duration, c.conns)

	// The disk first, alone, before any server runs.
	commit, err := durableCommit(filepath.Join(dir, "commit.db"))
	if err != nil {
		return fmt.Errorf("durable commit: %w", err)
	}
	fmt.Printf("durable commit on this disk (WAL, synchronous=FULL, one row): median %v, p90 %v\n",
		commit.median.Round(time.Microsecond), commit.p90.Round(time.Microsecond))

	ceiling, err := start(c.ceiling, "--addr", "127.0.0.1:0")
	if err != nil {
		return err
	}
	defer ceiling.stop()
	// Loopback only; no per-address limits (every request comes from one
	// address) and no cap on connections (the burst opens 300 at once).
	sf, err := start(c.stackfit, "serve", "--addr", "127.0.0.1:0", "--db", db, "--no-limits", "--max-connections", "0")
	if err != nil {
		return err
	}
	defer sf.stop()
	idle, _ := sf.memory()

	site, err := prepare(ctx, sf.base, c.seeded)
	if err != nil {
		return fmt.Errorf("prepare: %w", err)
	}
	fmt.Printf("seeded %d results through the API; stackfit RSS %d MB idle after start\n\n", len(site.resultIDs), idle/1024)
	view, err := firstView(ctx, sf.base, "/q/"+site.sections[0].ID)
	if err != nil {
		return fmt.Errorf("first view: %w", err)
	}
	view.print()
	fmt.Println()

	bursts, err := runBursts(ctx, sf, db, c.burst, c.bursts)
	if err != nil {
		return fmt.Errorf("bursts: %w", err)
	}

	rates, err := runRounds(ctx, c, ceiling, sf, site)
	if err != nil {
		return err
	}
	// The rounds fill the page caches (1,000 result pages among them).
	after, hwm := sf.memory()

	printSummary(c, commit, bursts, rates, idle)
	fmt.Printf("stackfit memory after the rounds, its page caches full: RSS %d MB (VmHWM %d MB over the whole run)\n", after/1024, hwm/1024)
	view.print()
	fmt.Printf("\nwhole run: %v\n", time.Since(started).Round(time.Second))
	return nil
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(data)) {
		if name, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(name), ":"))
		}
	}
	return "unknown CPU"
}
