package printer

import encode "github.com/posbridge/posbridge/printer/render"

// Render lays a document out for printer p and encodes it in p's language.
func Render(d Document, p Profile) ([]byte, error) { return encode.Render(d, p) }

// AppendRender is Render onto dst.
func AppendRender(dst []byte, d Document, p Profile) ([]byte, error) {
	return encode.Append(dst, d, p)
}
