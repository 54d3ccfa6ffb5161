// Package render encodes a document in the language of the printer it goes
// to: TSPL for label printers that speak it, ESC/POS for every other one.
package render

import (
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/escpos"
	"github.com/posbridge/posbridge/printer/tspl"
)

// Render lays a document out for printer p and encodes it in p's language.
func Render(d document.Document, p document.Profile) ([]byte, error) {
	return Append(nil, d, p)
}

// Append is Render onto dst (benchmarks and the worker reuse buffers).
func Append(dst []byte, d document.Document, p document.Profile) ([]byte, error) {
	if p.Language == document.LangTSPL {
		return tspl.Append(dst, d, p)
	}
	return escpos.Append(dst, d, p)
}
