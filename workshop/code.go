// Package workshop is what a team's answers add up to: the answer
// distribution per question, how much the team disagrees, the team's own
// answers and their evaluation. It knows nothing of HTTP or SQL.
package workshop

import (
	"crypto/rand"
	"strings"
)

// codeAlphabet has no 0/O or 1/I/L, so a code read aloud or from a
// projector cannot be mistyped: 31 symbols, about 887 million codes.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the number of characters of a join code.
const CodeLength = 6

// NewCode returns a random join code such as "K7QH2M".
func NewCode() string {
	b := make([]byte, CodeLength)
	rand.Read(b)
	for i := range b {
		// 256 is not a multiple of 31: redraw the bytes that would bias the choice.
		for int(b[i]) >= 256/len(codeAlphabet)*len(codeAlphabet) {
			var one [1]byte
			rand.Read(one[:])
			b[i] = one[0]
		}
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// ParseCode reads a code as a person types it: any case, with spaces or a
// dash between the halves. ok is false when it cannot be a code.
func ParseCode(s string) (code string, ok bool) {
	s = strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\t", "").Replace(s))
	if len(s) != CodeLength {
		return "", false
	}
	for _, r := range s {
		if !strings.ContainsRune(codeAlphabet, r) {
			return "", false
		}
	}
	return s, true
}
