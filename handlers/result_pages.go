package handlers

import "stackfit/metrics"

// DefaultResultPages is how many rendered result pages are kept: in shared
// lines, about 1.5 KB each, 1,000 of them hold some 1.5 MB, beside the lines.
const DefaultResultPages = 1000

// resultLines bounds the lines result pages share: the questionnaire's
// options, the reasons and the layout come to about 0.5 MB.
const resultLines = 4 << 20

// resultPages keeps rendered result pages (keptPages). A stored result never
// changes, so its page depends only on the ruleset that reads it today (the
// drift notice), the address its share link names and whether this browser
// made it. They are kept in shared lines, with the result's id blanked: 1,000
// pages of 18-23 KB held as they are, with the collector's headroom, took the
// process past 60 MB.
type resultPages = keptPages[resultPageKey]

type resultPageKey struct {
	ID, Ruleset, Origin string
	Owner               bool
}

func newResultPages(size int, m *metrics.Metrics) (resultPages, error) {
	return newKeptPages("result", size, func(k resultPageKey) string { return k.ID }, resultLines, m)
}
