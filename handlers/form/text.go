package form

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// text checks what a person typed into a field, for the pages and the API
// alike: the value trimmed (line ends made "\n" where the field takes
// several lines), or a sentence naming the field and what to remove.
//
// Refused: bytes that are not UTF-8; control characters (a field of several
// lines may hold line breaks and tabs); characters that reverse or isolate
// the direction of text, which can make a name or title read differently
// from what it is (CVE-2021-42574, "Trojan Source"); and other invisible
// format characters such as zero-width spaces, which make two names that
// look alike differ.
func text(label, value string, multiline bool) (string, string) {
	if !utf8.ValidString(value) {
		return "", fmt.Sprintf("The %s is not valid text (it is not UTF-8): type it again.", label)
	}
	if multiline {
		value = strings.ReplaceAll(value, "\r\n", "\n")
	}
	value = strings.TrimSpace(value)
	for _, r := range value {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case !multiline && (r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029'):
			return "", fmt.Sprintf("Keep the %s to one line: it has a line break.", label)
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			return "", fmt.Sprintf("The %s has a control character (%U): remove it.", label, r)
		case bidiControl(r):
			return "", fmt.Sprintf("The %s has a character that changes the direction of text (%U): remove it.", label, r)
		case unicode.Is(unicode.Cf, r):
			return "", fmt.Sprintf("The %s has an invisible character (%U): remove it.", label, r)
		}
	}
	return value, ""
}

// bidiControl tells whether r is an embedding, override or isolate of the
// Unicode bidirectional algorithm (UAX #9), or the end of one.
func bidiControl(r rune) bool {
	return (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}
