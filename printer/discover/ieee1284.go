package discover

import (
	"slices"
	"strings"
)

// DeviceID is an IEEE 1284 device id, as USB printers report it:
// "MFG:Xprinter;MDL:XP-80C;CMD:ESC/POS;CLS:PRINTER;".
type DeviceID struct {
	Raw          string   `json:"raw"`
	Manufacturer string   `json:"manufacturer,omitempty"` // MFG / MANUFACTURER
	Model        string   `json:"model,omitempty"`        // MDL / MODEL
	Commands     []string `json:"commands,omitempty"`     // CMD / COMMAND SET, e.g. ESC/POS, TSPL
	Class        string   `json:"class,omitempty"`        // CLS / CLASS
	Description  string   `json:"description,omitempty"`  // DES / DESCRIPTION
}

// maxDeviceID bounds what is kept: the kernel's buffer is 1 KiB.
const maxDeviceID = 1024

// ParseDeviceID reads an IEEE 1284 device id; nil when there is none. Keys
// are case-insensitive and both the short and long names count; unknown keys
// are ignored. The kernel strips the two length bytes in front; a raw id
// read elsewhere may still have them, and they are skipped.
func ParseDeviceID(s string) *DeviceID {
	if len(s) > maxDeviceID {
		s = s[:maxDeviceID]
	}
	// The length prefix is big-endian and counts itself (some firmware
	// leaves it out of the count).
	if n := len(s); n >= 2 && (s[0] < 0x20 || s[1] < 0x20) {
		if l := int(s[0])<<8 | int(s[1]); l == n || l == n-2 {
			s = s[2:]
		}
	}
	s = strings.TrimSpace(strings.ToValidUTF8(s, "?"))
	if s == "" {
		return nil
	}
	id := &DeviceID{Raw: s}
	for field := range strings.SplitSeq(s, ";") {
		k, v, ok := strings.Cut(field, ":")
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		switch strings.ToUpper(strings.TrimSpace(k)) {
		case "MFG", "MANUFACTURER":
			id.Manufacturer = v
		case "MDL", "MODEL":
			id.Model = v
		case "CMD", "COMMAND SET":
			for c := range strings.SplitSeq(v, ",") {
				if c = strings.TrimSpace(c); c != "" {
					id.Commands = append(id.Commands, c)
				}
			}
		case "CLS", "CLASS":
			id.Class = v
		case "DES", "DESCRIPTION":
			id.Description = v
		}
	}
	return id
}

// Language guesses the printer language from the command sets: "escpos",
// "tspl", or "" when the id names neither (many clones list no CMD at all).
func (id *DeviceID) Language() string {
	if id == nil {
		return ""
	}
	norm := func(c string) string {
		return strings.NewReplacer("/", "", "-", "", " ", "", "_", "").Replace(strings.ToUpper(c))
	}
	cmds := make([]string, len(id.Commands))
	for i, c := range id.Commands {
		cmds[i] = norm(c)
	}
	has := func(prefixes ...string) bool {
		return slices.ContainsFunc(cmds, func(c string) bool {
			return slices.ContainsFunc(prefixes, func(p string) bool { return strings.HasPrefix(c, p) })
		})
	}
	switch {
	case has("ESCPOS", "ESC"):
		return "escpos"
	case has("TSPL", "TSC"):
		return "tspl"
	}
	return ""
}

// speaksOtherLanguage reports whether the id names command sets and none of
// them is ESC/POS: such a printer (TSPL, ZPL, PCL) is not sent DLE EOT, which
// it would take as the start of its next command.
func (id *DeviceID) speaksOtherLanguage() bool {
	return id != nil && len(id.Commands) > 0 && id.Language() != "escpos"
}
