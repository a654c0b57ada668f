package stackfit

// The join-code guard slows down anyone guessing join codes. It counts only
// lookups of codes that do not exist, per client address: a whole office
// joining from one address never trips it, while a guesser is stopped after
// a few dozen tries (among 887 million codes). While a client has no
// allowance left it may not look up any code, or a guess that hits would
// still tell it so (see App.lookup).

// guessCause names the guard's limit (Error.Cause, the metrics, the
// allowances' table).
const guessCause = "join_guessing"

// guessRate is the guard's allowance: 20 unknown codes at once, then one
// more every 3 seconds.
var guessRate = Rate{Burst: 20, PerMinute: 20}
