// Package assetfile holds what the server and the brotli generator
// (static/internal/brotligen) must agree on about a static file: its type,
// whether it is worth compressing, and where its brotli copy is kept. It must
// not import brotli: the server links it.
package assetfile

import (
	"crypto/sha256"
	"encoding/hex"
	"mime"
	"path"
	"strings"
)

// BrotliDir is the directory, beside the assets, of their brotli copies.
const BrotliDir = "br"

// MimeType is the Content-Type an asset is served with.
func MimeType(name string) string {
	if t := mime.TypeByExtension(path.Ext(name)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// Compressible reports whether a file of this type is text that compression
// shrinks; images other than SVG are compressed already.
func Compressible(mimeType string) bool {
	return strings.HasPrefix(mimeType, "text/") || strings.Contains(mimeType, "javascript") || strings.Contains(mimeType, "svg")
}

// BrotliPath is where the brotli copy of body is kept, e.g. "br/<sha256>.br".
// The name is the full hash of the content, so a changed file finds no copy
// (and is served gzip) rather than a stale one.
func BrotliPath(body []byte) string {
	sum := sha256.Sum256(body)
	return BrotliDir + "/" + hex.EncodeToString(sum[:]) + ".br"
}
