package main

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"
)

// endpointNames are the measured requests, in the order of the report.
var endpointNames = []string{
	"GET / (new visitor)",
	"GET /q/{first step} (new visitor)",
	"GET /q/{mid step} (session)",
	"POST /q/{first step} (form)",
	"GET /r/{id} (random of seeded)",
	"POST /api/v1/evaluate",
}

type endpoint struct {
	name string
	reqs [][]byte
}

// endpoints serialises every measured request once. None asks for
// compression, so a page's rate is compared with the ceiling's like for like.
func endpoints(host string, s *site) ([]endpoint, error) {
	first := s.sections[0].ID
	session := http.Header{"Cookie": {s.cookie}}
	form := http.Header{"Cookie": {s.cookie}, "Content-Type": {"application/x-www-form-urlencoded"}}
	evaluate, err := json.Marshal(map[string]any{"answers": s.answers})
	if err != nil {
		return nil, err
	}
	var results [][]byte
	for _, id := range s.resultIDs {
		results = append(results, rawRequest(http.MethodGet, host, "/r/"+id, nil, ""))
	}
	return []endpoint{
		{endpointNames[0], [][]byte{rawRequest(http.MethodGet, host, "/", nil, "")}},
		{endpointNames[1], [][]byte{rawRequest(http.MethodGet, host, "/q/"+first, nil, "")}},
		{endpointNames[2], [][]byte{rawRequest(http.MethodGet, host, "/q/"+s.midStep, session, "")}},
		{endpointNames[3], [][]byte{rawRequest(http.MethodPost, host, "/q/"+first, form, s.stepForm(first))}},
		{endpointNames[4], results},
		{endpointNames[5], [][]byte{rawRequest(http.MethodPost, host, "/api/v1/evaluate",
			http.Header{"Content-Type": {"application/json"}}, string(evaluate))}},
	}, nil
}

// rate is one endpoint's figures over the rounds: its rate and the
// reference's, measured one after the other.
type rate struct {
	name       string
	rps, ceil  []float64
	failed     int
	statusSeen map[int]int
}

func (r rate) ratios() []float64 {
	var out []float64
	for i := range r.rps {
		if r.ceil[i] > 0 {
			out = append(out, r.rps[i]/r.ceil[i])
		}
	}
	return out
}

// runRounds measures, in each round, the reference then each endpoint, so
// each ratio compares two runs a few seconds apart on the same machine.
func runRounds(ctx context.Context, c config, ceiling, sf *process, s *site) ([]rate, error) {
	eps, err := endpoints(sf.addr, s)
	if err != nil {
		return nil, err
	}
	eps = slices.DeleteFunc(eps, func(ep endpoint) bool { return !strings.Contains(ep.name, c.only) })
	if len(eps) == 0 {
		return nil, fmt.Errorf("no endpoint's name contains %q", c.only)
	}
	ceilReq := [][]byte{rawRequest(http.MethodGet, ceiling.addr, "/", nil, "")}
	// A short warm-up of each, so the first round does not pay for cold caches.
	load(ctx, ceiling.addr, ceilReq, c.conns, 300*time.Millisecond)
	for _, ep := range eps {
		load(ctx, sf.addr, ep.reqs, c.conns, 300*time.Millisecond)
		// And each of an endpoint's requests once (the 1,000 result pages):
		// the rounds then measure pages as a server that has run a while
		// serves them, not a first round spent rendering each once.
		if len(ep.reqs) > 1 {
			sendEach(ctx, sf.addr, ep.reqs, c.conns)
		}
	}
	rates := make([]rate, len(eps))
	for i, ep := range eps {
		rates[i] = rate{name: ep.name, statusSeen: map[int]int{}}
	}
	fmt.Printf("%-36s %s\n", "round / endpoint", "req/s      reference req/s   ratio")
	for round := 1; round <= c.rounds; round++ {
		for i, ep := range eps {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("out of time in round %d: %w", round, ctx.Err())
			}
			ref := load(ctx, ceiling.addr, ceilReq, c.conns, c.duration)
			got := load(ctx, sf.addr, ep.reqs, c.conns, c.duration)
			r := &rates[i]
			r.rps = append(r.rps, got.perSecond())
			r.ceil = append(r.ceil, ref.perSecond())
			r.failed += got.failed + ref.failed
			for st, n := range got.status {
				r.statusSeen[st] += n
			}
			fmt.Printf("%d  %-33s %8.0f   %8.0f          %5.1f%%\n", round, ep.name, got.perSecond(), ref.perSecond(), 100*got.perSecond()/max(ref.perSecond(), 1))
		}
	}
	fmt.Println()
	return rates, nil
}

func printSummary(c config, commit commitTime, bursts []burstFigures, rates []rate, idleKB int) {
	fmt.Println("== summary (each ratio: stackfit / reference in the same round; median and range over rounds)")
	fmt.Printf("| %-35s | %9s | %-22s | %s |\n", "endpoint", "req/s", "ratio to reference", "status codes")
	fmt.Printf("|%s|%s:|%s|%s|\n", dashes(37), dashes(10), dashes(24), dashes(14))
	var allCeil []float64
	for _, r := range rates {
		allCeil = append(allCeil, r.ceil...)
	}
	fmt.Printf("| %-35s | %9.0f | %-22s | %s |\n", "reference: Echo, fixed 6 KB page", median(allCeil), "100%", "")
	for _, r := range rates {
		ratios := r.ratios()
		span := ""
		if len(ratios) > 0 {
			span = fmt.Sprintf("%.1f%% (%.1f–%.1f%%)", 100*median(ratios), 100*slices.Min(ratios), 100*slices.Max(ratios))
		}
		codes := statusCounts(r.statusSeen)
		if r.failed > 0 {
			codes += fmt.Sprintf(", %d failed", r.failed)
		}
		fmt.Printf("| %-35s | %9.0f | %-22s | %s |\n", r.name, median(r.rps), span, codes)
	}
	fmt.Println()
	fmt.Printf("durable commit on this disk: median %v (p90 %v)\n", commit.median.Round(time.Microsecond), commit.p90.Round(time.Microsecond))
	peak, hwm := 0, 0
	for i, b := range bursts {
		fmt.Printf("burst %d: %d concurrent POST /api/v1/results from one address: %s; p50 %v, p99 %v, max %v, all in %v; %d of %d acknowledged rows found in the database\n",
			i+1, b.sent, statusCounts(b.status), b.p50.Round(time.Millisecond), b.p99.Round(time.Millisecond), b.max.Round(time.Millisecond),
			b.elapsed.Round(time.Millisecond), b.stored, b.created)
		peak, hwm = max(peak, b.peakRSS), max(hwm, b.hwm)
	}
	fmt.Printf("stackfit memory: RSS %d MB idle after start, peak RSS %d MB sampled through %d bursts (VmHWM %d MB)\n",
		idleKB/1024, peak/1024, len(bursts), hwm/1024)
}

func dashes(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = '-'
	}
	return string(b)
}

// statusCounts reads "300×201", status codes by count (-1: no response).
func statusCounts(m map[int]int) string {
	var parts []string
	for _, st := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%d×%d", m[st], st))
	}
	return strings.Join(parts, ", ")
}
