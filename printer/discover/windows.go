package discover

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"unicode/utf16"
)

// WindowsInfo is what the spooler says about a printer (PRINTER_INFO_2).
type WindowsInfo struct {
	Port     string `json:"port"`   // USB001, IP_192.168.1.87, COM3:, FILE: …
	Driver   string `json:"driver"` // often the model: XP-80C, GP-L80160 Series
	Comment  string `json:"comment,omitempty"`
	Location string `json:"location,omitempty"`
	// StatusFlags and Attributes are the spooler's bits; Status names the
	// set status bits ("offline", "paper_out", …).
	StatusFlags uint32   `json:"status_flags"`
	Attributes  uint32   `json:"attributes"`
	Status      []string `json:"status,omitempty"`
	Jobs        int      `json:"jobs"`
	Default     bool     `json:"default,omitempty"`
	Network     bool     `json:"network,omitempty"`      // a printer shared by another PC
	WorkOffline bool     `json:"work_offline,omitempty"` // "Use printer offline" is ticked
	// Software is a printer without paper: Print to PDF, XPS, OneNote, fax.
	Software bool `json:"software,omitempty"`
}

// The PRINTER_STATUS_* bits (winspool.h) with a name and what staff read.
var spoolerStatus = []struct {
	bit   uint32
	name  string
	label string
}{
	{0x00000001, "paused", "已暂停"},
	{0x00000002, "error", "出错"},
	{0x00000004, "pending_deletion", "正在删除"},
	{0x00000008, "paper_jam", "卡纸"},
	{0x00000010, "paper_out", "缺纸"},
	{0x00000020, "manual_feed", "等待手动进纸"},
	{0x00000040, "paper_problem", "纸张问题"},
	{0x00000080, "offline", "脱机"},
	{0x00000100, "io_active", "通信中"},
	{0x00000200, "busy", "忙"},
	{0x00000400, "printing", "正在打印"},
	{0x00000800, "output_bin_full", "出纸盒已满"},
	{0x00001000, "not_available", "不可用"},
	{0x00002000, "waiting", "等待中"},
	{0x00004000, "processing", "处理中"},
	{0x00008000, "initializing", "正在初始化"},
	{0x00010000, "warming_up", "正在预热"},
	{0x00020000, "toner_low", "碳粉不足"},
	{0x00040000, "no_toner", "无碳粉"},
	{0x00080000, "page_punt", "无法打印当前页"},
	{0x00100000, "user_intervention", "需要人工处理"},
	{0x00200000, "out_of_memory", "内存不足"},
	{0x00400000, "door_open", "机盖打开"},
	{0x00800000, "server_unknown", "打印服务器状态未知"},
	{0x01000000, "power_save", "节能模式"},
}

// PRINTER_ATTRIBUTE_* bits used here.
const (
	attrDefault     = 0x00000004
	attrNetwork     = 0x00000010
	attrWorkOffline = 0x00000400
)

// SpoolerStatusNames names the set PRINTER_STATUS bits.
func SpoolerStatusNames(flags uint32) []string {
	var out []string
	for _, s := range spoolerStatus {
		if flags&s.bit != 0 {
			out = append(out, s.name)
		}
	}
	return out
}

// Label is the spooler's view in Simplified Chinese for the console:
// "脱机、缺纸", "已设为脱机使用", or "就绪" with nothing wrong. The spooler
// often says nothing about a USB receipt printer that is switched off (it
// learns only when a job fails), so "就绪" is not proof the printer is on.
func (w WindowsInfo) Label() string {
	var parts []string
	if w.WorkOffline {
		parts = append(parts, "已设为脱机使用")
	}
	for _, s := range spoolerStatus {
		if w.StatusFlags&s.bit != 0 {
			parts = append(parts, s.label)
		}
	}
	if w.Jobs > 0 {
		parts = append(parts, fmt.Sprintf("队列中 %d 个任务", w.Jobs))
	}
	if len(parts) == 0 {
		return "就绪"
	}
	return strings.Join(parts, "、")
}

// windowsDevice turns a spooler entry into a Device.
func windowsDevice(name string, w WindowsInfo) Device {
	w.Status = SpoolerStatusNames(w.StatusFlags)
	w.Default = w.Attributes&attrDefault != 0
	w.Network = w.Attributes&attrNetwork != 0
	w.WorkOffline = w.Attributes&attrWorkOffline != 0
	w.Software = isSoftwarePrinter(w.Port, w.Driver)
	return Device{
		Kind:       KindWindows,
		Connection: windowsURI(name),
		Path:       name,
		Model:      w.Driver,
		Windows:    &w,
		// The spooler is write-only: status comes from its flags, never
		// from the printer (spec §8).
		Status: Status{Reply: OneWay},
	}
}

// markDefault sets Default on the printer named name.
func markDefault(ds []Device, name string) {
	for i := range ds {
		if name != "" && ds[i].Path == name && ds[i].Windows != nil {
			ds[i].Windows.Default = true
		}
	}
}

// isSoftwarePrinter: ports and drivers of printers that make files.
func isSoftwarePrinter(port, driver string) bool {
	p := strings.ToUpper(strings.TrimSpace(port))
	switch {
	case p == "PORTPROMPT:", p == "NUL:", p == "NUL", p == "FILE:", p == "SHRFAX:", p == "XPSPORT:",
		strings.HasPrefix(p, "MICROSOFT.OFFICE.ONENOTE"), strings.HasPrefix(p, "ONENOTE"):
		return true
	}
	d := strings.ToLower(driver)
	return strings.Contains(d, "print to pdf") || strings.Contains(d, "xps document writer") ||
		strings.Contains(d, "onenote") || strings.Contains(d, "fax")
}

// Layout of PRINTER_INFO_2W: 13 pointers (pServerName … pSecurityDescriptor),
// then 8 DWORDs (Attributes, Priority, DefaultPriority, StartTime,
// UntilTime, Status, cJobs, AveragePPM).
const (
	pi2Pointers = 13
	pi2Dwords   = 8
)

// Indexes of the pointers and DWORDs read.
const (
	pi2PrinterName = 1
	pi2PortName    = 3
	pi2DriverName  = 4
	pi2Comment     = 5
	pi2Location    = 6
	pi2Attributes  = 0
	pi2Status      = 5
	pi2Jobs        = 6
)

// maxSpoolerString bounds one string read from the buffer (names are at
// most a few hundred characters).
const maxSpoolerString = 2048

// parsePrinterInfo2 reads count PRINTER_INFO_2W records from the buffer
// EnumPrintersW filled. The strings' pointers are addresses inside the
// buffer; base is the buffer's address and ptrSize 8 (64-bit) or 4 (32-bit).
// It is the same code on Windows and in the tests, where buf and base were
// recorded from a spooler. A pointer outside the buffer is an error, never a
// read outside it.
func parsePrinterInfo2(buf []byte, base uint64, count, ptrSize int) ([]Device, error) {
	if ptrSize != 4 && ptrSize != 8 {
		return nil, fmt.Errorf("pointer size %d", ptrSize)
	}
	size := pi2Pointers*ptrSize + pi2Dwords*4
	if count < 0 || count*size > len(buf) {
		return nil, fmt.Errorf("%d printers do not fit in %d bytes", count, len(buf))
	}
	ptr := func(rec []byte, i int) uint64 {
		if ptrSize == 8 {
			return binary.LittleEndian.Uint64(rec[i*8:])
		}
		return uint64(binary.LittleEndian.Uint32(rec[i*4:]))
	}
	str := func(p uint64) (string, error) { return utf16At(buf, base, p) }
	out := make([]Device, 0, count)
	for i := range count {
		rec := buf[i*size : (i+1)*size]
		dw := func(j int) uint32 { return binary.LittleEndian.Uint32(rec[pi2Pointers*ptrSize+j*4:]) }
		var fields [pi2Pointers]string
		for _, j := range []int{pi2PrinterName, pi2PortName, pi2DriverName, pi2Comment, pi2Location} {
			s, err := str(ptr(rec, j))
			if err != nil {
				return nil, fmt.Errorf("printer %d: %w", i, err)
			}
			fields[j] = s
		}
		if fields[pi2PrinterName] == "" {
			return nil, fmt.Errorf("printer %d has no name", i)
		}
		out = append(out, windowsDevice(fields[pi2PrinterName], WindowsInfo{
			Port:        fields[pi2PortName],
			Driver:      fields[pi2DriverName],
			Comment:     fields[pi2Comment],
			Location:    fields[pi2Location],
			Attributes:  dw(pi2Attributes),
			StatusFlags: dw(pi2Status),
			Jobs:        int(dw(pi2Jobs)),
		}))
	}
	return out, nil
}

// utf16At reads the NUL-terminated UTF-16 string at address p of buf (whose
// address is base); "" for a nil pointer. A pointer outside the buffer is an
// error, never a read outside it.
func utf16At(buf []byte, base, p uint64) (string, error) {
	if p == 0 {
		return "", nil
	}
	if p < base || p-base >= uint64(len(buf)) {
		return "", errors.New("a string pointer outside the buffer")
	}
	var u []uint16
	for off := p - base; ; off += 2 {
		if off+2 > uint64(len(buf)) {
			return "", errors.New("a string runs past the buffer")
		}
		c := binary.LittleEndian.Uint16(buf[off:])
		if c == 0 {
			break
		}
		if len(u) >= maxSpoolerString {
			return "", errors.New("a string is too long")
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u)), nil
}
