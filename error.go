package stackfit

import (
	"errors"
	"fmt"
	"time"
)

// Error codes: what went wrong, in terms each front door can map to its own
// answer (an HTTP status, an exit code) in one table.
const (
	EINTERNAL     = "internal"     // a fault of ours; the cause is logged, never shown
	EINVALID      = "invalid"      // the input cannot be accepted as it is
	ENOTFOUND     = "not_found"    // no result, workshop or participant by that id
	ECLOSED       = "closed"       // the workshop takes no more participants or answers
	EUNAUTHORIZED = "unauthorized" // the facilitator key is missing or wrong
	ELIMIT        = "limit"        // too many tries: wait, then try again
	EFULL         = "full"         // the workshop takes no more participants: full or locked
	EUNAVAILABLE  = "unavailable"  // the server cannot do it now (busy, full): try again later
)

// Error is a failure the application expects and can explain. Message, when
// set, is a sentence the person can act on; empty, each front door says what
// it usually says for the code.
type Error struct {
	Code    string
	Message string
	// RetryAfter is how long to wait before trying again (ELIMIT, EUNAVAILABLE).
	RetryAfter time.Duration
	// Cause names the limit or the shortage behind an ELIMIT or EUNAVAILABLE
	// ("results", "stream_workshop", "write_busy"), for the metrics.
	Cause string
}

func (e *Error) Error() string {
	if e.Message == "" {
		return "stackfit: " + e.Code
	}
	return fmt.Sprintf("stackfit: %s: %s", e.Code, e.Message)
}

// Errorf is an *Error with a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode is the code of the *Error in err's chain: "" for nil, EINTERNAL
// for any other error.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage is the message of the *Error in err's chain, "" when there is
// none: an internal error's text is for the log, not for the person.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return ""
}

// ErrorCause is the Cause of the *Error in err's chain, "" when there is none.
func ErrorCause(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Cause
	}
	return ""
}

// RetryAfter is how long err asks to wait (ELIMIT, EUNAVAILABLE), 0 otherwise.
func RetryAfter(err error) time.Duration {
	var e *Error
	if errors.As(err, &e) {
		return e.RetryAfter
	}
	return 0
}
