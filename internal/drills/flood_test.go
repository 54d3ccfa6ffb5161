package drills

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/posbridge/posbridge/internal/loadtest"
	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/store"
)

// floodBody is one hostile push and the refusal it must get.
type floodBody struct {
	class      string
	body       []byte
	httpStatus int
	code       string
}

func floodBodies(t *testing.T) []floodBody {
	t.Helper()
	stranger, err := rsa.GenerateKey(rand.Reader, 2048)
	must(t, err)
	forged, err := kaigedian.NewEnvelope(stranger, "2282", "wxaa246", []byte(`{"orderCode":"FORGED0001","orderStatus":"1","timeStamp":"1700000000000"}`))
	must(t, err)
	forgedRaw, err := forged.Marshal()
	must(t, err)
	huge := append([]byte(`{"orderCode":"HUGE0001","pad":"`), bytes.Repeat([]byte("x"), 1<<20)...)
	huge = append(huge, `"}`...)
	noise := make([]byte, 4096)
	_, _ = rand.Read(noise)
	return []floodBody{
		{"random bytes", noise, 200, "21"},
		{"truncated JSON", []byte(`{"orderCode":"TRUNC0001","orderSta`), 200, "21"},
		{"no order code", []byte(`{"orderStatus":"1"}`), 401, "401"}, // unsigned: refused before reading
		{"unsigned bare push", []byte(`{"orderCode":"BARE0001","orderStatus":"1","timeStamp":"1700000000000"}`), 401, "401"},
		{"forged signature", forgedRaw, 401, "401"},
		{"envelope without sign", []byte(`{"ver":"1","partnerId":"2282","appId":"wxaa246","requestBody":"{\"orderCode\":\"NOSIGN0001\"}"}`), 401, "401"},
		{"over 1 MiB", huge, 413, "413"},
		{"empty", nil, 200, "21"},
	}
}

// The push receiver is flooded with malformed, forged and oversized bodies
// from several connections while real orders arrive: every hostile body is
// refused with its documented answer (never 100), or past the rate limit of
// refusals with 429; nothing it carried becomes an order, and every real
// order goes through untouched.
func TestPushReceiverFloodedWithBadBodies(t *testing.T) {
	s := drillScenario("flood", 60, 4*time.Second)
	rig := startRig(t, loadtest.ModeInProcess, harnessFor(s, nil))
	ctx := context.Background()
	bodies := floodBodies(t)
	rec := loadtest.NewRecorder()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, rig, rec) }()

	var mu sync.Mutex
	got := map[string]int{}
	rateLimited := 0
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for w := range 6 {
		wg.Go(func() {
			rng := mrand.New(mrand.NewPCG(uint64(w), 1))
			deadline := time.Now().Add(3 * time.Second)
			for time.Now().Before(deadline) {
				b := bodies[rng.IntN(len(bodies))]
				kind := kaigedian.PushKinds[rng.IntN(len(kaigedian.PushKinds))]
				resp, err := client.Post(rig.Env.PushURL+"/kaigedian/push/"+string(kind), "application/json", bytes.NewReader(b.body))
				if err != nil {
					t.Errorf("%s: %v", b.class, err)
					return
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				var reply struct {
					StatusCode string `json:"statusCode"`
					Code       string `json:"code"`
				}
				_ = json.Unmarshal(raw, &reply)
				limited := resp.StatusCode == http.StatusTooManyRequests && reply.Code == "429"
				if !limited && (resp.StatusCode != b.httpStatus || reply.StatusCode != b.code || reply.Code != b.code) {
					t.Errorf("%s on %s: HTTP %d %s, want HTTP %d code %s (or 429)", b.class, kind, resp.StatusCode, raw, b.httpStatus, b.code)
				}
				mu.Lock()
				got[b.class]++
				if limited {
					rateLimited++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	must(t, <-done)
	res := settleAndCheck(t, rig, 60*time.Second)
	if res.Orders != 60 || res.Stored != 60 {
		t.Fatalf("%d of %d real orders stored", res.Stored, res.Orders)
	}
	total := 0
	for _, b := range bodies {
		if got[b.class] == 0 {
			t.Errorf("no %s was sent", b.class)
		}
		total += got[b.class]
	}
	// Refusals past the rate limit are answered 429 and only counted; the
	// others are in the log, a bounded ring (issue 13 item 4).
	refused, err := rig.Env.Daemon.DB.RejectedPushes(ctx, 1<<20)
	must(t, err)
	if want := min(total-rateLimited, store.MaxRejectedPushes); len(refused) != want {
		t.Errorf("%d hostile pushes, %d rate-limited, but %d in the rejected-push log (want %d)", total, rateLimited, len(refused), want)
	}
	if rateLimited == 0 {
		t.Errorf("%d hostile pushes from one address and none was rate-limited", total)
	}
	t.Log(fmt.Sprintf("%d hostile pushes refused (%d rate-limited): %v", total, rateLimited, got))
}
