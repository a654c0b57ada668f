package handlers

import (
	"html/template"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"stackfit"
)

func TestTeamFragmentRenderedOncePerChange(t *testing.T) {
	f := newTeamFragments()
	var builds atomic.Int64
	build := func(t stackfit.Team) (template.HTML, error) {
		builds.Add(1)
		return template.HTML("version " + strconv.FormatUint(t.Version, 10)), nil
	}
	steps := []struct {
		code       string
		version    uint64
		pages      int
		wantBuilds int64
		want       template.HTML
	}{
		{"AAAAAA", 1, 300, 1, "version 1"},
		{"AAAAAA", 1, 300, 0, "version 1"},
		{"AAAAAA", 2, 300, 1, "version 2"},
		{"BBBBBB", 2, 10, 1, "version 2"},
		// A page still holding an older Team renders its own, and leaves
		// the newer fragment kept.
		{"AAAAAA", 1, 1, 1, "version 1"},
		{"AAAAAA", 2, 300, 0, "version 2"},
	}
	for _, step := range steps {
		before := builds.Load()
		var wg sync.WaitGroup
		for range step.pages {
			wg.Go(func() {
				html, err := f.render(step.code, stackfit.Team{Version: step.version}, build)
				if err != nil || html != step.want {
					t.Errorf("%s@%d: %q, %v; want %q", step.code, step.version, html, err, step.want)
				}
			})
		}
		wg.Wait()
		if got := builds.Load() - before; got != step.wantBuilds {
			t.Errorf("%s@%d: %d pages rendered %d times, want %d", step.code, step.version, step.pages, got, step.wantBuilds)
		}
	}
}
