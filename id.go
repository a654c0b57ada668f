package stackfit

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// idBytes is 128 bits from crypto/rand: a share link or a participant's id
// cannot be guessed, whichever store made it.
const idBytes = 16

// NewID is a new id for a result or a participant: URL-safe base64 without
// padding, 22 characters.
func NewID() string {
	b := make([]byte, idBytes)
	rand.Read(b) // never returns an error (crypto/rand, Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidID rejects anything that cannot be an id before it reaches a store's
// query.
func ValidID(id string) bool {
	if len(id) != base64.RawURLEncoding.EncodedLen(idBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(id)
	return err == nil
}

// keyBytes makes a facilitator key 256 bits from crypto/rand: 43 characters
// of URL-safe base64, as unguessable as a share link and then some.
const keyBytes = 32

// NewKey is a new facilitator key.
func NewKey() string {
	b := make([]byte, keyBytes)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashKey is what a store keeps of a facilitator key: its SHA-256, so a
// copy of the database does not open the boards.
func HashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// KeyMatches compares a facilitator key with a stored hash in constant time.
func KeyMatches(key string, stored []byte) bool {
	return subtle.ConstantTimeCompare(HashKey(key), stored) == 1
}
