package form

import (
	"strconv"
	"strings"
)

// Capacity checks the number of places a facilitator typed: 0 when left
// empty (the server's default), else a whole number from 1 to most.
func Capacity(raw string, most int) (int, *FieldProblem) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > most {
		return 0, &FieldProblem{"capacity", "Places",
			"Give the number of places as a whole number from 1 to " + strconv.Itoa(most) + "."}
	}
	return n, nil
}
