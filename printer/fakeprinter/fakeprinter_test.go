package fakeprinter

import (
	"net"
	"testing"
	"time"
)

// The first-job-byte time skips status queries: it is when the ticket
// started, which is what the load tool measures.
func TestFirstJobByteAtSkipsStatusQueries(t *testing.T) {
	p, err := New()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	nc, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	if _, err := nc.Write([]byte{0x10, 0x04, 0x01}); err != nil { // DLE EOT 1
		t.Fatal(err)
	}
	reply := make([]byte, 1)
	if _, err := nc.Read(reply); err != nil {
		t.Fatal(err)
	}
	time.Sleep(30 * time.Millisecond)
	sent := time.Now()
	if _, err := nc.Write([]byte("\x1b@hello\n")); err != nil {
		t.Fatal(err)
	}
	if !p.WaitJobs(1, 2*time.Second) {
		t.Fatal("job not seen")
	}
	c := p.Conns()[0]
	first, opened := c.FirstJobByteAt(), c.OpenedAt()
	if opened.IsZero() || first.IsZero() {
		t.Fatalf("times not recorded: opened %v first %v", opened, first)
	}
	if first.Before(sent) || first.Sub(opened) < 30*time.Millisecond {
		t.Fatalf("first job byte at %v, job sent at %v, connection opened at %v", first, sent, opened)
	}
}
