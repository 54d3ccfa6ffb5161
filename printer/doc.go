// Package printer turns posbridge documents into printer bytes (ESC/POS with
// GB18030 text, TSPL for cup labels), carries them over tcp/serial/usb/spooler
// links, reads printer status, and decodes its own output back into previews.
//
// Each concern lives in a sub-package, in the order the data flows:
//
//	document   the neutral document, its templates, profiles and text layout
//	escpos     ESC/POS encoding            (imports document)
//	tspl       TSPL label encoding         (imports document)
//	render     picks the encoder for a printer's language (imports escpos, tspl)
//	preview    decodes printer bytes back  (imports document)
//	transport  links, status, the virtual printer (imports document, preview)
//	fleet      workers, job plans, failover (imports document, render, transport)
//
// This package only re-exports the names the rest of posbridge uses.
package printer
