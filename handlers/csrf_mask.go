package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Pages are compressed, and a secret that appears the same in every
// compressed response can be read back by an attacker who adds guesses to
// the page and watches its size (BREACH). So the CSRF token a page carries is
// masked afresh for each response, as gorilla/csrf does: a random one-time
// pad, then the token XOR the pad, in URL-safe base64 (which html/template
// writes as it is). unmaskCSRF, before Echo's CSRF check, turns a masked
// token back into the token that check compares with its cookie.

// maskedCSRFKey holds the masked token of this response, made once.
const maskedCSRFKey = "stackfit.csrf"

// csrfToken is the token this response's forms carry: Echo's token, masked.
func csrfToken(c echo.Context) string {
	if masked, ok := c.Get(maskedCSRFKey).(string); ok {
		return masked
	}
	token, _ := c.Get("csrf").(string)
	if token == "" {
		return ""
	}
	masked := maskCSRF(token)
	c.Set(maskedCSRFKey, masked)
	return masked
}

func maskCSRF(token string) string {
	out := make([]byte, 2*len(token))
	pad, sealed := out[:len(token)], out[len(token):]
	rand.Read(pad) // never fails (crypto/rand)
	subtle.XORBytes(sealed, pad, []byte(token))
	return base64.RawURLEncoding.EncodeToString(out)
}

// unmask returns the token a masked one carries; ok is false for anything
// else (an unmasked token, which is then checked as it is).
func unmask(masked string) (token string, ok bool) {
	raw, err := base64.RawURLEncoding.DecodeString(masked)
	if err != nil || len(raw) == 0 || len(raw)%2 != 0 {
		return "", false
	}
	n := len(raw) / 2
	out := make([]byte, n)
	subtle.XORBytes(out, raw[:n], raw[n:])
	return string(out), true
}

// csrfTokenLength is the length of Echo's tokens (its default); a masked
// one is longer, so the two never mix.
const csrfTokenLength = 32

// maskedTokenLength is the length of a masked token of Echo's: the pad and
// the sealed token, in base64 without padding.
var maskedTokenLength = base64.RawURLEncoding.EncodedLen(2 * csrfTokenLength)

// unmaskCSRF replaces a masked token in the X-CSRF-Token header or the _csrf
// form field by the token itself, for Echo's CSRF check after it.
func unmaskCSRF(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
			return next(c)
		}
		if v := req.Header.Get("X-CSRF-Token"); v != "" {
			if token, ok := unmask(v); ok && len(v) > csrfTokenLength {
				req.Header.Set("X-CSRF-Token", token)
			}
			return next(c) // Echo checks the header first; the form is left unread, as it leaves it
		}
		if req.Form == nil {
			_ = req.ParseMultipartForm(32 << 20) // as Echo's form extractor does
		}
		if v := req.Form.Get("_csrf"); len(v) > csrfTokenLength {
			if token, ok := unmask(v); ok {
				req.Form.Set("_csrf", token)
			}
		}
		return next(c)
	}
}
