package discover

import (
	"encoding/binary"
	"fmt"
	"strings"
)

// SpoolerQueue is what the Windows spooler knows about one printer: its
// PRINTER_INFO_2 status and the errors of the jobs in its queue. The
// spooler learns of a switched-off USB printer only when a job fails, so
// the jobs' errors are the better half of it.
type SpoolerQueue struct {
	Printer WindowsInfo  `json:"printer"`
	Jobs    []SpoolerJob `json:"jobs,omitempty"`
}

// SpoolerJob is a queued job whose status the spooler flagged.
type SpoolerJob struct {
	ID       uint32   `json:"id"`
	Document string   `json:"document,omitempty"`
	Status   []string `json:"status,omitempty"` // names of the JOB_STATUS bits set
	Text     string   `json:"text,omitempty"`   // the port monitor's own words (pStatus)
}

// The JOB_STATUS_* bits (winspool.h) that mean a job cannot print, with a name
// and what staff read.
var jobStatus = []struct {
	bit   uint32
	name  string
	label string
}{
	{0x00000002, "error", "任务出错"},
	{0x00000020, "offline", "打印机脱机"},
	{0x00000040, "paper_out", "缺纸"},
	{0x00000200, "blocked", "任务被阻塞"},
	{0x00000400, "user_intervention", "需要人工处理"},
	{0x00000001, "paused", "任务已暂停"},
}

// Label is the queue in Simplified Chinese for the console: the printer's
// flags, then the first job problem ("队列中 3 个任务、任务出错：…").
func (q SpoolerQueue) Label() string {
	parts := []string{}
	if l := q.Printer.Label(); l != "就绪" {
		parts = append(parts, l)
	}
	for _, j := range q.Jobs {
		if len(j.Status) == 0 && j.Text == "" {
			continue
		}
		var ls []string
		for _, s := range jobStatus {
			for _, n := range j.Status {
				if n == s.name {
					ls = append(ls, s.label)
				}
			}
		}
		if j.Text != "" {
			ls = append(ls, j.Text)
		}
		parts = append(parts, strings.Join(ls, "："))
		break
	}
	if len(parts) == 0 {
		return "就绪"
	}
	return strings.Join(parts, "、")
}

// JOB_INFO_1W: DWORD JobId, then 6 string pointers (pPrinterName,
// pMachineName, pUserName, pDocument, pDatatype, pStatus), then DWORDs
// Status, Priority, Position, TotalPages, PagesPrinted and a SYSTEMTIME
// (16 bytes); the pointer block is aligned to the pointer size.
const (
	ji1Strings  = 6
	ji1Document = 3
	ji1Status   = 5
)

func jobInfo1Size(ptrSize int) int {
	head := 4
	if ptrSize == 8 {
		head = 8 // JobId padded to align the pointers
	}
	return head + ji1Strings*ptrSize + 5*4 + 16 + pad(ptrSize)
}

// pad is the struct's tail padding: 64-bit records are a multiple of 8.
func pad(ptrSize int) int {
	if ptrSize == 8 {
		size := 8 + ji1Strings*8 + 5*4 + 16
		return (8 - size%8) % 8
	}
	return 0
}

// parseJobInfo1 reads count JOB_INFO_1W records from the buffer EnumJobsW
// filled (base is its address), keeping the jobs with a problem.
func parseJobInfo1(buf []byte, base uint64, count, ptrSize int) ([]SpoolerJob, error) {
	if ptrSize != 4 && ptrSize != 8 {
		return nil, fmt.Errorf("pointer size %d", ptrSize)
	}
	size := jobInfo1Size(ptrSize)
	if count < 0 || count*size > len(buf) {
		return nil, fmt.Errorf("%d jobs do not fit in %d bytes", count, len(buf))
	}
	head := 4
	if ptrSize == 8 {
		head = 8
	}
	var out []SpoolerJob
	for i := range count {
		rec := buf[i*size : (i+1)*size]
		ptr := func(j int) uint64 {
			off := head + j*ptrSize
			if ptrSize == 8 {
				return binary.LittleEndian.Uint64(rec[off:])
			}
			return uint64(binary.LittleEndian.Uint32(rec[off:]))
		}
		doc, err := utf16At(buf, base, ptr(ji1Document))
		if err != nil {
			return nil, fmt.Errorf("job %d: %w", i, err)
		}
		text, err := utf16At(buf, base, ptr(ji1Status))
		if err != nil {
			return nil, fmt.Errorf("job %d: %w", i, err)
		}
		flags := binary.LittleEndian.Uint32(rec[head+ji1Strings*ptrSize:])
		j := SpoolerJob{ID: binary.LittleEndian.Uint32(rec), Document: doc, Text: strings.TrimSpace(text)}
		for _, s := range jobStatus {
			if flags&s.bit != 0 {
				j.Status = append(j.Status, s.name)
			}
		}
		if len(j.Status) > 0 || j.Text != "" {
			out = append(out, j)
		}
	}
	return out, nil
}
