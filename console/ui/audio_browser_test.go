package ui

import (
	"context"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/posbridge/posbridge/internal/browsertest"
)

func chromium(t *testing.T) string { return browsertest.Chromium(t, "the sound plan test") }

type decodedClip struct {
	Channels int     `json:"channels"`
	Seconds  float64 `json:"seconds"`
	Peak     float64 `json:"peak"`
}

type soundPlan struct {
	Sound string   `json:"sound"`
	Voice []string `json:"voice"` // nil: the clips cannot say it
	Text  string   `json:"text"`
}

type planRun struct {
	Plans         map[string]soundPlan   `json:"plans"` // "event|pickup"
	Decoded       map[string]decodedClip `json:"decoded"`
	Unknown       []string               `json:"unknown"` // clip names a plan uses that CLIPS lacks
	UnknownThrows bool                   `json:"unknownThrows"`
}

const runPlan = `(async () => {
  const p = await import('/assets/audio/plan.js');
  const out = { plans: {}, decoded: {}, unknown: [], unknownThrows: false };
  for (const e of p.EVENTS) {
    for (const n of ['1003', '0023', '', 'A023', '12345678901']) {
      const pl = p.plan(e, { pickup: n });
      out.plans[e + '|' + n] = pl;
      for (const c of p.clipsOf(pl)) if (!(c in p.CLIPS)) out.unknown.push(c);
    }
  }
  try { p.plan('new_ordr', { pickup: '1' }); } catch { out.unknownThrows = true; }
  const ctx = new OfflineAudioContext(1, 16000, 16000);
  for (const name of Object.keys(p.CLIPS)) {
    const res = await fetch(p.clipURL(name));
    if (!res.ok) throw new Error(name + ': HTTP ' + res.status);
    const buf = await ctx.decodeAudioData(await res.arrayBuffer());
    let peak = 0;
    for (const x of buf.getChannelData(0)) peak = Math.max(peak, Math.abs(x));
    out.decoded[name] = { channels: buf.numberOfChannels, seconds: buf.duration, peak };
  }
  return out;
})()`

// The plan as the pages will use it, and every clip decoded by Chromium's
// own decoder (what the console plays them with).
func TestSoundPlanInChromium(t *testing.T) {
	path := chromium(t)
	mux := http.NewServeMux()
	mux.Handle("/assets/audio/", http.StripPrefix("/assets/audio/", http.FileServer(http.Dir(audioDir))))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><title>plan</title>"))
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.Flag("disable-extensions", true))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	defer cancelTimeout()
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	run, err := chromedp.Run(ctx, chromedp.Evaluate[planRun](runPlan, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}

	digits := []string{"d1", "d0", "d0", "d3", "hao"}
	cat := func(parts ...[]string) []string { return slices.Concat(parts...) }
	want := map[string]soundPlan{
		"new_order|1003":        {"chime", cat([]string{"new_order"}, digits), "新订单，1003号"},
		"new_order|0023":        {"chime", []string{"new_order", "d0", "d0", "d2", "d3", "hao"}, "新订单，0023号"},
		"new_order|":            {"chime", []string{"new_order"}, "新订单"},
		"new_order|A023":        {"chime", nil, "新订单，A023号"},
		"new_order|12345678901": {"chime", []string{"new_order"}, "新订单"},
		"cancel|1003":           {"alert", cat(digits, []string{"cancel_order"}), "1003号取消订单"},
		"refund_request|1003":   {"alert", cat(digits, []string{"refund"}), "1003号申请退款"},
		"prep_remind|1003":      {"remind", cat(digits, []string{"prep_remind"}), "1003号备餐提醒"},
		"prep_remind|A023":      {"remind", nil, "A023号备餐提醒"},
		"made|1003":             {"dingdong", cat([]string{"qing"}, digits, []string{"guest_pickup"}), "请1003号顾客取餐"},
		"made|":                 {"dingdong", []string{"qing", "guest_pickup"}, "请顾客取餐"},
		"printer_fault|":        {"alert", []string{"printer_fault"}, "打印机故障，请检查"},
		"printer_fault|1003":    {"alert", []string{"printer_fault"}, "打印机故障，请检查"},
	}
	for key, w := range want {
		got, ok := run.Plans[key]
		if !ok {
			t.Errorf("%s: no plan", key)
			continue
		}
		if got.Sound != w.Sound || !slices.Equal(got.Voice, w.Voice) || (got.Voice == nil) != (w.Voice == nil) || got.Text != w.Text {
			t.Errorf("%s: plan %+v, want %+v", key, got, w)
		}
	}
	// The sounds tell the events apart before a word is said.
	if run.Plans["new_order|1003"].Sound == run.Plans["prep_remind|1003"].Sound ||
		run.Plans["new_order|1003"].Sound == run.Plans["made|1003"].Sound {
		t.Error("new order, 备餐提醒 and the pickup call must sound different")
	}
	if len(run.Unknown) > 0 {
		t.Errorf("plans use clips CLIPS does not have: %v", run.Unknown)
	}
	if !run.UnknownThrows {
		t.Error("an unknown event must throw, not go silent")
	}

	clips := planClips(t)
	if len(run.Decoded) != len(clips) {
		t.Errorf("Chromium decoded %d clips, plan.js has %d", len(run.Decoded), len(clips))
	}
	for name, d := range run.Decoded {
		b, err := os.ReadFile(filepath.Join(audioDir, clips[name]))
		if err != nil {
			t.Fatal(err)
		}
		info, err := readOggOpus(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if d.Channels != 1 || math.Abs(d.Seconds-info.seconds) > 0.03 {
			t.Errorf("%s: Chromium decoded %d channels, %.3f s; the stream says 1 channel, %.3f s", name, d.Channels, d.Seconds, info.seconds)
		}
		if d.Peak < 0.3 {
			t.Errorf("%s: peak %.2f, too quiet to hear in a shop (normalised to -1 dB it is about 0.89)", name, d.Peak)
		}
	}
}
