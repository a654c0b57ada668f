package api

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// openAPI describes every route of Routes: paths, bodies and their limits,
// each status with its error body, the facilitator key and the event
// stream. The handlers' tests hold it to the code: the test client checks
// every API request, response and event against it (contract_test.go),
// and every route registered must appear in it and the other way round
// (openapi_test.go). A new route, status or field goes in here in the
// same change, or those tests fail.
//
//go:embed openapi.json
var openAPI []byte

// openAPIETag changes with the document, so a client's cached copy is
// checked with one conditional request.
var openAPIETag = func() string {
	sum := sha256.Sum256(openAPI)
	return `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`
}()

// OpenAPI is the OpenAPI 3.1 document of the API, as GET /api/v1/openapi.json serves it.
func OpenAPI() []byte { return bytes.Clone(openAPI) }

// openAPIDocument serves the document. It changes only with the server's
// version: caches may keep it for an hour, and revalidate with the ETag
// (http.ServeContent answers If-None-Match with 304, and HEAD).
func (h *Handler) openAPIDocument(c echo.Context) error {
	w := c.Response()
	w.Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	w.Header().Set(echo.HeaderCacheControl, "public, max-age=3600")
	w.Header().Set("ETag", openAPIETag)
	http.ServeContent(w, c.Request(), "openapi.json", time.Time{}, bytes.NewReader(openAPI))
	return nil
}
