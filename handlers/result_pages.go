package handlers

import "stackfit/metrics"

// DefaultResultPages is how many rendered result pages are kept: kept
// compressed against the first one, about 3 KB each, 1,000 of them hold
// some 3 MB.
const DefaultResultPages = 1000

// resultPages keeps rendered result pages (keptPages). A stored result never
// changes, so its page depends only on the ruleset that reads it today (the
// drift notice), the address its share link names and whether this browser
// made it. They are kept compressed: 1,000 pages of 18-23 KB held as they
// are, with the collector's headroom, took the process past 60 MB.
type resultPages = keptPages[resultPageKey]

type resultPageKey struct {
	ID, Ruleset, Origin string
	Owner               bool
}

func newResultPages(size int, m *metrics.Metrics) (resultPages, error) {
	return newKeptPages[resultPageKey]("result", size, true, m)
}
