package presets

// 商米 Sunmi: printers built into Sunmi's Android terminals.
const sunmiNote = "商米内置打印机由设备上的商米打印服务（InnerPrinter）驱动；posbridge 运行在另一台电脑上时，需要设备把打印机共享出来（如网络打印），未验证。"

var sunmi = []Preset{
	{
		ID: "sunmi-t2-80", Brand: "Sunmi", BrandZH: "商米", Model: "T2 内置 80mm", Aliases: []string{"T2", "SUNMI T2", "T2 80mm", "T2s"},
		Kind: Receipt, Language: "escpos", PaperMM: 80, Columns: 42, Charset: "gb2312",
		Cutter: Unknown, DLEEOT: Unknown, GSr: Unknown, NativeQR: Unknown, NativeBarcode: Unknown, DPI: 203,
		Interfaces: []string{"builtin"},
		Note:       sunmiNote,
		Sources: map[Fact]string{
			FactLanguage:   "Sunmi's inner printer service takes raw ESC/POS (\"print with escpos\", sunmi_printer_plus on pub.dev, changelog 2.0.0, built on Sunmi's Inner Printer documentation)",
			FactPaper:      "the inner printer reports its paper as 80 mm or 58 mm (getPrinterPaper, sunmi_printer_plus changelog 2.0.8); 80 mm for the T2 is unverified",
			FactColumns:    "unverified print width: " + specColumns80 + "; 42 fits both",
			FactCharset:    specCharset,
			FactCutter:     "unverified: the inner printer service has a cutPaper call (sunmi_printer_plus changelog 2.0.8), which says nothing of a given terminal; cut: partial is harmless without a cutter",
			FactStatus:     "unverified: the service reports printer status through its own API (getPrinterStatus), not confirmed as DLE EOT replies; status_query off",
			FactQR:         "unverified: the service prints QR codes through its API (sunmi_printer_plus 2.0.0), native GS ( k not confirmed; raster",
			FactBarcode:    "unverified: the service prints barcodes through its API (sunmi_printer_plus 2.0.0), native GS k not confirmed; raster",
			FactDPI:        "unverified: 203 dpi, the head of 80 mm thermal receipt printers (spec §1)",
			FactInterfaces: "built in, driven by the Android service on the terminal (sunmi_printer_plus / Sunmi Inner Printer documentation)",
		},
	},
	{
		ID: "sunmi-v2-58", Brand: "Sunmi", BrandZH: "商米", Model: "V2 内置 58mm", Aliases: []string{"V2", "SUNMI V2", "V2 Pro", "V2s"},
		Kind: Receipt, Language: "escpos", PaperMM: 58, Columns: 32, Charset: "gb2312",
		Cutter: Unknown, DLEEOT: Unknown, GSr: Unknown, NativeQR: Unknown, NativeBarcode: Unknown, DPI: 203,
		Interfaces: []string{"builtin"},
		Note:       sunmiNote,
		Sources: map[Fact]string{
			FactLanguage:   "Sunmi's inner printer service takes raw ESC/POS (sunmi_printer_plus on pub.dev, changelog 2.0.0; tested on the V2 Pro per devla_sunmi on pub.dev)",
			FactPaper:      "the inner printer reports 80 mm or 58 mm (getPrinterPaper, sunmi_printer_plus changelog 2.0.8); 58 mm for the handheld V2 is unverified",
			FactColumns:    specColumns58,
			FactCharset:    specCharset,
			FactCutter:     "unverified: a handheld tears off; cut: partial is harmless without a cutter",
			FactStatus:     "unverified: status comes from the service's own API (getPrinterStatus, devla_sunmi on pub.dev), not confirmed as DLE EOT replies; status_query off",
			FactQR:         "unverified: QR through the service's API (sunmi_printer_plus 2.0.0), native GS ( k not confirmed; raster",
			FactBarcode:    "unverified: barcodes through the service's API (sunmi_printer_plus 2.0.0), native GS k not confirmed; raster",
			FactDPI:        "unverified: 203 dpi, the head of 58 mm thermal receipt printers (spec §1)",
			FactInterfaces: "built in, driven by the Android service on the terminal (devla_sunmi / Sunmi Inner Printer documentation)",
		},
	},
}
