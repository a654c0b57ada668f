package handlers

import (
	"html/template"
	"strconv"
	"sync"

	"golang.org/x/sync/singleflight"

	"stackfit"
)

// teamFragments keeps the team's result as participants see it, rendered
// once per change of a workshop (the Team's Version) and shared by every
// open participant page: after a reveal, 300 open pages render it once.
// It keeps the latest fragment of each workshop, at most teamFragmentsSize.
type teamFragments struct {
	mu      sync.Mutex
	entries map[string]teamFragment // by join code
	flight  singleflight.Group
}

type teamFragment struct {
	version uint64
	html    template.HTML
}

// teamFragmentsSize bounds the workshops kept (a fragment is about 10 KB);
// past it the map starts afresh, as the workshops running at once are far fewer.
const teamFragmentsSize = 256

func newTeamFragments() *teamFragments {
	return &teamFragments{entries: map[string]teamFragment{}}
}

// render returns the fragment of t, made with build unless one of its
// version is kept.
func (f *teamFragments) render(code string, t stackfit.Team, build func(stackfit.Team) (template.HTML, error)) (template.HTML, error) {
	f.mu.Lock()
	e, ok := f.entries[code]
	f.mu.Unlock()
	if ok && e.version == t.Version {
		return e.html, nil
	}
	v, err, _ := f.flight.Do(code+"@"+strconv.FormatUint(t.Version, 10), func() (any, error) {
		// A page that missed the cache just before another flight stored
		// this version would otherwise start a flight of its own and render again.
		f.mu.Lock()
		e, ok := f.entries[code]
		f.mu.Unlock()
		if ok && e.version == t.Version {
			return e.html, nil
		}
		html, err := build(t)
		if err != nil {
			return nil, err
		}
		f.mu.Lock()
		defer f.mu.Unlock()
		if e, ok := f.entries[code]; !ok || e.version <= t.Version {
			if !ok && len(f.entries) >= teamFragmentsSize {
				clear(f.entries)
			}
			f.entries[code] = teamFragment{version: t.Version, html: html}
		}
		return html, nil
	})
	if err != nil {
		return "", err
	}
	return v.(template.HTML), nil
}
