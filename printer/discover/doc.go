// Package discover finds printers an installer can add: serial ports (with
// their USB vendor and product ids), USB printer-class device files
// (/dev/usb/lp*, with the IEEE 1284 device id the kernel exposes), the
// printers of the Windows spooler, and hosts answering on the raw printing
// port 9100. Each find becomes a Device with a suggested connection URI in
// the grammar config files use (tcp://host:9100, serial:///dev/ttyUSB0?baud=9600,
// usb:///dev/usb/lp0, windows://Name) and what was learned about it.
//
// Asking for status is polite: one real-time DLE EOT 1 (10 04 01), which an
// ESC/POS printer answers at once without printing anything, and a short
// wait. A printer that answers is two-way (status_query: on); one that stays
// silent is one-way or not ESC/POS, and the console shows its state as
// unknown. Local devices are opened only when Options.Probe is set, and never
// those in Options.Skip (the scanner's port, printers already configured):
// a barcode scanner's port opened by someone else loses scans.
//
// The package depends on nothing else of posbridge, so the console and the
// setup page can call it and the printer packages can be rearranged freely.
package discover
