package fake

import (
	"encoding/json"
	"net/http"
	"strconv"
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
	s.notes.Send(url, body, http.Header{"Content-Type": {"application/json"}, "X-Qf-Sign": {bodySign(body, s.opts.ClientKey)}})
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
