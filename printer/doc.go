// Package printer turns posbridge documents into printer bytes (ESC/POS with
// GB18030 text, TSPL for cup labels), carries them over tcp/serial/usb/spooler
// links, reads printer status, and decodes its own output back into previews.
package printer
