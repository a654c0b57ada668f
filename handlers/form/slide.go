package form

import "strconv"

// Slide reads the slide number of the board's projector mode (?q=): 1 when
// it is missing, else a whole number from 1 to slides, written plainly
// ("3", not "+3" or "03"), so each slide has one address.
func Slide(raw string, slides int) (int, bool) {
	if raw == "" {
		return 1, slides >= 1
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > slides || strconv.Itoa(n) != raw {
		return 0, false
	}
	return n, true
}
