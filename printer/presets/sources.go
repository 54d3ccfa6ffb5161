package presets

// Citations shared by several presets.
const (
	// The project's digest of ESC/POS and TSPL (shared/spec/escpos-tspl.md),
	// itself citing Epson's ESC/POS reference and the libraries' experience.
	specColumns58 = "posbridge spec escpos-tspl.md §1: a 58 mm roll prints 48 mm = 384 dots = 32 Font A columns"
	specColumns80 = "posbridge spec escpos-tspl.md §1: an 80 mm roll prints 72 mm = 576 dots = 48 columns, but some 80 mm models print only 64 mm (42 columns)"
	specCharset   = "unverified for this model: posbridge spec escpos-tspl.md §2 says most current clones hold GBK/GB18030 and old 58 mm units GB2312; gb2312 is the subset every unit prints"
	specQR        = "unverified for this model: posbridge spec escpos-tspl.md §5 reports cheap clones that print GS ( k as text; raster QR prints everywhere"
	specBarcode   = "unverified for this model: GS k function B support is not documented here; raster prints everywhere"
	specStatus    = "unverified for this model: no vendor document of DLE EOT and GS r seen; status_query off until a test print shows the replies (discovery reports whether DLE EOT 1 was answered)"
	specTSPLDPI   = "unverified: 203 dpi is the common head of 4-inch desktop label printers (spec §9); a 300 dpi head with 203 dpi settings prints smaller, never clipped"
	specTSPLStat  = "unverified for this model: TSPL <ESC>!? status (spec §9) is in Gprinter's TSPL programming manual (THERMAL BARCODE PRINTER SERIES, document conventions: <ESC> status polling), not confirmed on this model"
	cutUnverified = "unverified: whether this model has an auto-cutter; cut: partial is harmless without one (the paper is fed past the tear bar)"
	cutLabel      = "desktop label printers tear off at the peel bar; a cutter is an option (unverified for this model), cut: none"
	ifUnverified  = "unverified: interfaces as sold in shops vary by variant (U = USB, N/L = LAN, W = Wi-Fi, B = Bluetooth)"
)
