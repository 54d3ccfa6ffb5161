package discover

import (
	"io/fs"
	"slices"
	"strings"
	"testing"
)

func TestParseDeviceID(t *testing.T) {
	cases := []struct {
		raw                 string
		mfg, mdl, cls, lang string
		cmds                []string
	}{
		{"MFG:EPSON;CMD:ESC/POS;MDL:TM-T20II;CLS:PRINTER;DES:EPSON TM-T20II;", "EPSON", "TM-T20II", "PRINTER", "escpos", []string{"ESC/POS"}},
		{"MANUFACTURER:Gprinter;COMMAND SET:TSPL, EPL ;MODEL:GP-3120TU;", "Gprinter", "GP-3120TU", "", "tspl", []string{"TSPL", "EPL"}},
		{"mfg:Xprinter;mdl:XP-58;", "Xprinter", "XP-58", "", "", nil},
		{"MFG:HPRT;MDL:TP805;CMD:ESCPOS,TSPL;", "HPRT", "TP805", "", "escpos", []string{"ESCPOS", "TSPL"}},
		// With the IEEE 1284 length prefix (0x001e = 30 bytes, counting itself).
		{"\x00\x1eMFG:POS;MDL:POS-80C;CMD:ESC;", "POS", "POS-80C", "", "escpos", []string{"ESC"}},
		{"MFG:Foo;MDL;junk;:;CMD:PCL", "Foo", "", "", "", []string{"PCL"}},
	}
	for _, c := range cases {
		id := ParseDeviceID(c.raw)
		if id == nil || id.Manufacturer != c.mfg || id.Model != c.mdl || id.Class != c.cls || id.Language() != c.lang || !slices.Equal(id.Commands, c.cmds) {
			t.Errorf("%q: %+v (language %q)", c.raw, id, id.Language())
		}
	}
	if id := ParseDeviceID(" \n"); id != nil {
		t.Errorf("empty id: %+v", id)
	}
	if id := ParseDeviceID("MFG:" + strings.Repeat("x", 5000)); len(id.Raw) > maxDeviceID {
		t.Errorf("kept %d bytes of a huge id", len(id.Raw))
	}
	if id := ParseDeviceID("MFG:\xff\xfeBad;MDL:ok;"); id.Model != "ok" || !strings.Contains(id.Manufacturer, "?") {
		t.Errorf("invalid UTF-8: %+v", id)
	}
	// Only an id that names command sets and not ESC/POS keeps the question back.
	for raw, want := range map[string]bool{"CMD:TSPL;": true, "CMD:ZPL;": true, "CMD:ESC/POS,TSPL;": false, "MDL:XP-58;": false} {
		if got := ParseDeviceID(raw).speaksOtherLanguage(); got != want {
			t.Errorf("%q: speaksOtherLanguage %v", raw, got)
		}
	}
	var none *DeviceID
	if none.Language() != "" || none.speaksOtherLanguage() {
		t.Error("a nil id must say nothing")
	}
}

func TestOpenProblemsSayWhatToDo(t *testing.T) {
	p := openProblem("/dev/usb/lp0", &fs.PathError{Op: "open", Path: "/dev/usb/lp0", Err: fs.ErrPermission}, "lp")
	if p.Code != ProblemPermission || !strings.Contains(p.Detail, "lp group") || !strings.Contains(p.Label(), "lp") {
		t.Errorf("permission: %+v %s", p, p.Label())
	}
	for _, c := range []ProblemCode{ProblemSkipped, ProblemPermission, ProblemBusy, ProblemOpen, ProblemNoDeadline, ProblemChatter, ProblemLanguage} {
		if l := (Problem{Code: c}).Label(); l == "" || l == (Problem{Code: "other"}).Label() && c != ProblemOpen {
			t.Errorf("%s has no label of its own: %q", c, l)
		}
	}
}
