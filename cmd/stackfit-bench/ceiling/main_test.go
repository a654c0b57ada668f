package main

import (
	"strings"
	"testing"
)

// TestFixedPage: the reference page is exactly the size asked, a whole page.
func TestFixedPage(t *testing.T) {
	for _, size := range []int{pageSize, 1000, 300} {
		page := string(fixedPage(size))
		if len(page) != size {
			t.Errorf("fixedPage(%d) is %d bytes", size, len(page))
		}
		if !strings.HasPrefix(page, "<!doctype html>") || !strings.HasSuffix(page, "</html>\n") {
			t.Errorf("fixedPage(%d) is not a whole page", size)
		}
	}
}
