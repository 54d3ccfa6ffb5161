package store

import (
	"bytes"
	"context"
	"testing"
)

// Issue 13 item 4: whatever reaches the push port, the rejected-push log is
// a bounded ring: a short prefix of each body and the newest entries only.
func TestRejectedPushLogIsBounded(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	body := bytes.Repeat([]byte("x"), 4<<10)
	for i := range MaxRejectedPushes + 500 {
		if err := db.RecordRejectedPush(ctx, RejectedPush{Kind: "order", HTTPStatus: 200, Code: "21",
			Reason: string(bytes.Repeat([]byte("理"), 1000)), Remote: "192.168.1.66", Body: body, BodySize: len(body) + i}); err != nil {
			t.Fatal(err)
		}
	}
	var rows, bodyBytes, reasonBytes int
	if err := db.reader.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(LENGTH(body)),0), COALESCE(SUM(LENGTH(CAST(reason AS BLOB))),0) FROM rejected_pushes`).
		Scan(&rows, &bodyBytes, &reasonBytes); err != nil {
		t.Fatal(err)
	}
	if rows != MaxRejectedPushes {
		t.Fatalf("%d entries kept, want the newest %d", rows, MaxRejectedPushes)
	}
	if bodyBytes > MaxRejectedPushes*MaxRejectedBody || reasonBytes > MaxRejectedPushes*(MaxRejectedReason*3+3) {
		t.Fatalf("the log holds %d bytes of bodies and %d of reasons", bodyBytes, reasonBytes)
	}
	newest, err := db.RejectedPushes(ctx, 1)
	if err != nil || len(newest) != 1 || newest[0].BodySize != len(body)+MaxRejectedPushes+499 {
		t.Fatalf("the newest entry must stay, with the size that was sent: %+v %v", newest, err)
	}
}
