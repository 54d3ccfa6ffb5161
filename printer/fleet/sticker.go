package fleet

import (
	"context"
	"errors"
	"image"
	"maps"
	"slices"

	"github.com/posbridge/posbridge/printer/document"
)

// KindSticker is a table's QR sticker printed on the receipt printer.
const KindSticker document.Kind = "sticker"

// ErrNoReceiptPrinter: no ESC/POS receipt printer is configured.
var ErrNoReceiptPrinter = errors.New("没有配置小票打印机（role: receipt）")

// PrintImage queues a picture (a table's QR sticker) on the first receipt
// printer, as wide as its roll, and returns the printer's name.
func (f *Fleet) PrintImage(ctx context.Context, title string, render func(width int) (image.Image, error)) (string, error) {
	for _, name := range slices.Sorted(maps.Keys(f.configs)) {
		c := f.configs[name]
		p, ok := f.Profile(c.Name)
		if !ok || p.Role != "receipt" || p.Language != "escpos" {
			continue
		}
		img, err := render(p.Dots)
		if err != nil {
			return "", err
		}
		doc := document.Document{Kind: KindSticker, Sandbox: f.opt.Sandbox, Blocks: []document.Block{
			document.Image(document.RasterFromImage(img, p.Dots), document.AlignCenter), document.Feed(2), document.Cut()}}
		_, _, err = f.Enqueue(ctx, Job{Printer: c.Name, Doc: doc, Title: title})
		return c.Name, err
	}
	return "", ErrNoReceiptPrinter
}
