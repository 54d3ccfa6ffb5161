package discover

import (
	"encoding/binary"
	"testing"
	"unicode/utf16"
)

// jobBuffer lays out JOB_INFO_1W records as EnumJobsW does: the records,
// then the strings they point to.
func jobBuffer(base uint64, ptrSize int, jobs []struct {
	id     uint32
	doc    string
	status uint32
	text   string
}) []byte {
	size := jobInfo1Size(ptrSize)
	buf := make([]byte, size*len(jobs))
	head := 4
	if ptrSize == 8 {
		head = 8
	}
	putStr := func(s string) uint64 {
		if s == "" {
			return 0
		}
		at := base + uint64(len(buf))
		for _, c := range utf16.Encode([]rune(s)) {
			buf = binary.LittleEndian.AppendUint16(buf, c)
		}
		buf = append(buf, 0, 0)
		return at
	}
	for i, j := range jobs {
		docAt, textAt := putStr(j.doc), putStr(j.text)
		rec := buf[i*size:]
		binary.LittleEndian.PutUint32(rec, j.id)
		put := func(k int, v uint64) {
			if ptrSize == 8 {
				binary.LittleEndian.PutUint64(rec[head+k*8:], v)
			} else {
				binary.LittleEndian.PutUint32(rec[head+k*4:], uint32(v))
			}
		}
		put(ji1Document, docAt)
		put(ji1Status, textAt)
		binary.LittleEndian.PutUint32(rec[head+ji1Strings*ptrSize:], j.status)
	}
	return buf
}

func TestParseJobInfo1KeepsJobsWithProblems(t *testing.T) {
	jobs := []struct {
		id     uint32
		doc    string
		status uint32
		text   string
	}{
		{7, "posbridge", 0x10, ""}, // printing: fine
		{8, "posbridge", 0x02 | 0x40, "端口 USB001 上的打印机缺纸"}, // error + paper out
		{9, "posbridge", 0x20, ""},
	}
	for _, ptr := range []int{4, 8} {
		const base = 0x10000
		buf := jobBuffer(base, ptr, jobs)
		got, err := parseJobInfo1(buf, base, len(jobs), ptr)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].ID != 8 || got[0].Text != "端口 USB001 上的打印机缺纸" || got[1].ID != 9 {
			t.Fatalf("ptr %d: %+v", ptr, got)
		}
		q := SpoolerQueue{Printer: WindowsInfo{Jobs: 3}, Jobs: got}
		if l := q.Label(); l != "队列中 3 个任务、任务出错：缺纸：端口 USB001 上的打印机缺纸" {
			t.Errorf("label %q", l)
		}
		if _, err := parseJobInfo1(buf[:10], base, 1, ptr); err == nil {
			t.Error("a short buffer parsed")
		}
		bad := append([]byte(nil), buf...)
		binary.LittleEndian.PutUint32(bad[jobInfo1Size(ptr):][map[int]int{4: 4, 8: 8}[ptr]+ji1Document*ptr:], 0x20)
		if _, err := parseJobInfo1(bad, base, len(jobs), ptr); err == nil {
			t.Error("a pointer outside the buffer was followed")
		}
	}
}
