package handlers

import "testing"

// FuzzUnmaskCSRF: any header or form value is either refused or unmasked
// without a panic, and every masked token unmasks to itself.
func FuzzUnmaskCSRF(f *testing.F) {
	for _, seed := range []string{"", "abc", maskCSRF("0123456789abcdefABCDEF0123456789"), "%%%", "AAAA"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if token, ok := unmask(s); ok && len(token) == 0 {
			t.Errorf("unmask(%q) gave an empty token", s)
		}
		if token, ok := unmask(maskCSRF(s)); s != "" && (!ok || token != s) {
			t.Errorf("mask then unmask of %q gave %q, %v", s, token, ok)
		}
	})
}

// A masked token of Echo's length fills a kept page's slot exactly.
func TestSlotIsAsLongAsAMaskedToken(t *testing.T) {
	if got := len(maskCSRF("0123456789abcdefABCDEF0123456789")); got != len(csrfSlot) {
		t.Errorf("a masked token has %d characters, the slot %d", got, len(csrfSlot))
	}
}
