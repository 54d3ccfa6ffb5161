package printer

import (
	"github.com/posbridge/posbridge/printer/document"
	"github.com/posbridge/posbridge/printer/preview"
)

type (
	LabelItem   = preview.LabelItem
	LabelView   = preview.LabelView
	Preview     = preview.Preview
	PreviewLine = preview.PreviewLine
)

const (
	LineBarcode = preview.LineBarcode
	LineBeep    = preview.LineBeep
	LineCut     = preview.LineCut
	LineDrawer  = preview.LineDrawer
	LineFeed    = preview.LineFeed
	LineImage   = preview.LineImage
	LineLabel   = preview.LineLabel
	LineQR      = preview.LineQR
	LineText    = preview.LineText
)

func Decode(language string, data []byte) preview.Preview       { return preview.Decode(language, data) }
func DecodeFor(p document.Profile, data []byte) preview.Preview { return preview.DecodeFor(p, data) }
