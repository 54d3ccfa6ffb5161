package fake

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Schedule is QFPay's notification retry schedule: the pauses after the
// first attempt until one is answered 200 SUCCESS.
var Schedule = []time.Duration{2 * time.Minute, 10 * time.Minute, 10 * time.Minute, time.Hour, 2 * time.Hour, 6 * time.Hour, 15 * time.Hour}

// notify sends t's notification in the background.
func (s *Server) notify(t *tx, kind string) {
	s.mu.Lock()
	url := t.NotifyURL
	body := s.notificationLocked(t, kind)
	s.mu.Unlock()
	if url == "" {
		return
	}
	sign := bodySign(body, s.opts.ClientKey)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for attempt := 0; attempt <= len(Schedule); attempt++ {
			if attempt > 0 {
				select {
				case <-s.done:
					return
				case <-time.After(time.Duration(float64(Schedule[attempt-1]) / s.opts.TimeScale)):
				}
			}
			if s.deliver(url, body, sign, attempt+1) {
				return
			}
		}
	}()
}

func (s *Server) notificationLocked(t *tx, kind string) []byte {
	paydtm := ""
	if !t.Paydtm.IsZero() {
		paydtm = t.Paydtm.In(shanghai).Format(timeLayout)
	}
	n := map[string]string{
		"status": "1", "notify_type": kind, "pay_type": t.PayType, "out_trade_no": t.OutTradeNo, "syssn": t.SysSN,
		"txamt": strconv.FormatInt(t.Txamt, 10), "txcurrcd": "CNY", "txdtm": t.Txdtm,
		"sysdtm": t.Sysdtm.In(shanghai).Format(timeLayout), "paydtm": paydtm, "respcd": "0000",
		"cancel": strconv.Itoa(t.Cancel), "goods_name": t.GoodsName, "chnlsn": t.ChnlSN, "chnlsn2": "",
		"cash_fee": strconv.FormatInt(t.Txamt, 10), "cash_fee_type": "CNY",
	}
	if s.opts.MchID != "" {
		n["mchid"] = s.opts.MchID
	}
	b, _ := json.Marshal(n)
	return b
}

func (s *Server) deliver(url string, body []byte, sign string, attempt int) bool {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	d := Delivery{URL: url, Body: body, Sign: sign, Attempt: attempt}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-QF-SIGN", sign)
		var resp *http.Response
		if resp, err = http.DefaultClient.Do(req); err == nil {
			b, _ := io.ReadAll(io.LimitReader(resp.Body, 256))
			resp.Body.Close()
			d.Status = resp.StatusCode
			d.Acked = resp.StatusCode == http.StatusOK && strings.TrimSpace(string(b)) == "SUCCESS"
		}
	}
	s.mu.Lock()
	s.notes = append(s.notes, d)
	s.mu.Unlock()
	return d.Acked
}
