package fake

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

const timeLayout = "2006-01-02 15:04:05"

var fenRE = regexp.MustCompile(`^[1-9][0-9]{0,10}$`)

// wxAppID is the official account QFPay pays through.
const wxAppID = "wxqfpay0000000001"

func (s *Server) payment(w http.ResponseWriter, r *http.Request) {
	p, ok := s.apiParams(w, r)
	if !ok {
		return
	}
	_, terr := time.ParseInLocation(timeLayout, p.Get("txdtm"), shanghai)
	switch {
	case !fenRE.MatchString(p.Get("txamt")):
		s.refuse(w, "1104", "txamt must be an integer amount in fen")
		return
	case p.Get("txcurrcd") != "CNY":
		s.refuse(w, "1104", "txcurrcd must be CNY")
		return
	case p.Get("pay_type") != "800207":
		s.refuse(w, "1104", "pay_type not supported by this fake (800207 only)")
		return
	case p.Get("out_trade_no") == "" || len(p.Get("out_trade_no")) > 128:
		s.refuse(w, "1104", "out_trade_no missing or longer than 128")
		return
	case terr != nil:
		s.refuse(w, "1104", "txdtm must be YYYY-MM-DD hh:mm:ss")
		return
	case p.Get("sub_openid") == "":
		s.refuse(w, "1104", "sub_openid is required for pay_type 800207")
		return
	case utf8.RuneCountInString(p.Get("goods_name")) > 20:
		s.refuse(w, "1104", "goods_name longer than 20 characters")
		return
	}
	amt, _ := strconv.ParseInt(p.Get("txamt"), 10, 64)
	now := s.opts.Now()
	s.mu.Lock()
	if s.byOut[p.Get("out_trade_no")] != nil {
		s.mu.Unlock()
		s.refuse(w, "1102", "duplicate out_trade_no")
		return
	}
	notify := p.Get("notify_url")
	if notify == "" {
		notify = s.opts.NotifyURL
	}
	t := &tx{
		SysSN: s.nextSysSNLocked(now), OutTradeNo: p.Get("out_trade_no"), OrderType: "payment", PayType: "800207",
		Txamt: amt, Respcd: "1143", Txdtm: p.Get("txdtm"), Sysdtm: now, GoodsName: p.Get("goods_name"),
		OpenID: p.Get("sub_openid"), NotifyURL: notify, Prepay: "wx" + wire.Nonce(30),
	}
	s.addLocked(t)
	s.mu.Unlock()
	ts, nonce, pkg := strconv.FormatInt(now.Unix(), 10), wire.Nonce(32), "prepay_id="+t.Prepay
	s.reply(w, map[string]any{
		"respcd": "0000", "respmsg": "", "resperr": "", "syssn": t.SysSN, "out_trade_no": t.OutTradeNo,
		"txamt": strconv.FormatInt(amt, 10), "txcurrcd": "CNY", "txdtm": t.Txdtm, "sysdtm": now.In(shanghai).Format(timeLayout),
		"pay_type": "800207", "chnlsn": "",
		"pay_params": map[string]string{"appId": wxAppID, "timeStamp": ts, "nonceStr": nonce, "package": pkg,
			"signType": "MD5", "paySign": paySign(wxAppID, nonce, pkg, "MD5", ts)},
	})
}

func (s *Server) addLocked(t *tx) {
	s.txs = append(s.txs, t)
	s.byOut[t.OutTradeNo] = t
	s.bySys[t.SysSN] = t
}

func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	p, ok := s.apiParams(w, r)
	if !ok {
		return
	}
	now := s.opts.Now().In(shanghai)
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, shanghai)
	end := now
	if p.Get("syssn") == "" && (p.Has("start_time") || p.Has("end_time")) {
		st, e1 := time.ParseInLocation(timeLayout, p.Get("start_time"), shanghai)
		en, e2 := time.ParseInLocation(timeLayout, p.Get("end_time"), shanghai)
		switch {
		case e1 != nil || e2 != nil:
			s.refuse(w, "1104", "start_time and end_time must both be YYYY-MM-DD hh:mm:ss")
			return
		case en.Before(st) || en.After(st.AddDate(0, 1, 0)):
			s.refuse(w, "1104", "the interval must be within one calendar month")
			return
		}
		start, end = st, en
	}
	size := 10
	if v := p.Get("page_size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			s.refuse(w, "1104", "page_size must be 1 to 100")
			return
		}
		size = n
	}
	want := func(list string) map[string]bool {
		if list == "" {
			return nil
		}
		m := map[string]bool{}
		for _, v := range strings.Split(list, ",") {
			m[v] = true
		}
		return m
	}
	sys, outs := want(p.Get("syssn")), want(p.Get("out_trade_no"))
	var data []map[string]any
	s.mu.Lock()
	for _, t := range s.txs {
		switch {
		case sys != nil && !sys[t.SysSN]:
			continue
		case outs != nil && !outs[t.OutTradeNo]:
			continue
		case sys == nil && (t.Sysdtm.Truncate(time.Second).Before(start) || t.Sysdtm.Truncate(time.Second).After(end)):
			continue
		}
		data = append(data, s.itemLocked(t))
		if len(data) == size {
			break
		}
	}
	s.mu.Unlock()
	if data == nil {
		data = []map[string]any{}
	}
	s.reply(w, map[string]any{"respcd": "0000", "respmsg": "", "resperr": "", "page": 1, "page_size": size, "data": data})
}

func (s *Server) itemLocked(t *tx) map[string]any {
	paydtm := ""
	if !t.Paydtm.IsZero() {
		paydtm = t.Paydtm.In(shanghai).Format(timeLayout)
	}
	return map[string]any{
		"syssn": t.SysSN, "out_trade_no": t.OutTradeNo, "chnlsn": t.ChnlSN, "order_type": t.OrderType,
		"origssn": t.OrigSysSN, "pay_type": t.PayType, "txamt": strconv.FormatInt(t.Txamt, 10), "txcurrcd": "CNY",
		"txdtm": t.Txdtm, "sysdtm": t.Sysdtm.In(shanghai).Format(timeLayout), "paydtm": paydtm,
		"cancel": strconv.Itoa(t.Cancel), "respcd": t.Respcd, "errmsg": "", "goods_name": t.GoodsName,
		"cash_fee": strconv.FormatInt(t.Txamt, 10), "cash_fee_type": "CNY",
		"cash_refund_fee": strconv.FormatInt(t.Refunded, 10), "cash_refund_fee_type": "CNY",
	}
}

func (s *Server) refund(w http.ResponseWriter, r *http.Request) {
	p, ok := s.apiParams(w, r)
	if !ok {
		return
	}
	if _, err := time.ParseInLocation(timeLayout, p.Get("txdtm"), shanghai); err != nil {
		s.refuse(w, "1104", "txdtm must be YYYY-MM-DD hh:mm:ss")
		return
	}
	if !fenRE.MatchString(p.Get("txamt")) || p.Get("out_trade_no") == "" || p.Get("syssn") == "" {
		s.refuse(w, "1104", "syssn, out_trade_no and txamt in integer fen are required")
		return
	}
	amt, _ := strconv.ParseInt(p.Get("txamt"), 10, 64)
	now := s.opts.Now()
	if s.opts.RefundCutoff {
		local := now.In(shanghai)
		if m := local.Hour()*60 + local.Minute(); m >= 23*60+30 || m < 30 {
			s.refuse(w, "1265", "no refunds between 23:30 and 00:30")
			return
		}
	}
	s.mu.Lock()
	orig := s.bySys[p.Get("syssn")]
	switch {
	case orig == nil || orig.OrderType != "payment":
		s.mu.Unlock()
		s.refuse(w, "1136", "transaction does not exist")
		return
	case orig.Respcd != "0000":
		s.mu.Unlock()
		s.refuse(w, "1261", "not paid")
		return
	case s.byOut[p.Get("out_trade_no")] != nil:
		s.mu.Unlock()
		s.refuse(w, "1102", "duplicate out_trade_no")
		return
	case orig.Refunded >= orig.Txamt:
		s.mu.Unlock()
		s.refuse(w, "1125", "already refunded")
		return
	case orig.Refunded+amt > orig.Txamt:
		s.mu.Unlock()
		s.refuse(w, "1272", "more than the refundable amount")
		return
	}
	rf := &tx{
		SysSN: s.nextSysSNLocked(now), OutTradeNo: p.Get("out_trade_no"), OrderType: "refund", OrigSysSN: orig.SysSN,
		PayType: orig.PayType, Txamt: amt, Respcd: "0000", Txdtm: p.Get("txdtm"), Sysdtm: now, Paydtm: now,
		ChnlSN: orig.ChnlSN, NotifyURL: orig.NotifyURL,
	}
	s.addLocked(rf)
	orig.Refunded += amt
	orig.Cancel = 5
	if orig.Refunded == orig.Txamt {
		orig.Cancel = 3
	}
	s.mu.Unlock()
	s.notify(rf, "refund")
	s.reply(w, map[string]any{
		"respcd": "0000", "respmsg": "", "resperr": "", "syssn": rf.SysSN, "orig_syssn": orig.SysSN,
		"txamt": strconv.FormatInt(amt, 10), "sysdtm": now.In(shanghai).Format(timeLayout),
	})
}

func (s *Server) reversal(w http.ResponseWriter, r *http.Request) {
	p, ok := s.apiParams(w, r)
	if !ok {
		return
	}
	if _, err := time.ParseInLocation(timeLayout, p.Get("txdtm"), shanghai); err != nil || !fenRE.MatchString(p.Get("txamt")) {
		s.refuse(w, "1104", "txdtm and txamt in integer fen are required")
		return
	}
	amt, _ := strconv.ParseInt(p.Get("txamt"), 10, 64)
	s.mu.Lock()
	t := s.bySys[p.Get("syssn")]
	if t == nil {
		t = s.byOut[p.Get("out_trade_no")]
	}
	switch {
	case t == nil || t.OrderType != "payment":
		s.mu.Unlock()
		s.refuse(w, "1136", "transaction does not exist")
		return
	case t.Txamt != amt:
		s.mu.Unlock()
		s.refuse(w, "1266", "amount wrong")
		return
	case t.Respcd == "0000":
		s.mu.Unlock()
		s.refuse(w, "1260", "already paid: refund it")
		return
	}
	t.Cancel = 2
	s.mu.Unlock()
	s.reply(w, map[string]any{"respcd": "0000", "respmsg": "", "resperr": "", "orig_syssn": t.SysSN, "syssn": t.SysSN})
}

// Pay marks a created payment paid as the hosted page's button does, and
// sends its notification. It reports false for an unknown, paid or
// cancelled payment.
func (s *Server) Pay(outTradeNo string) bool {
	s.mu.Lock()
	t := s.byOut[outTradeNo]
	if t == nil || t.OrderType != "payment" || t.Respcd != "1143" || t.Cancel != 0 {
		s.mu.Unlock()
		return false
	}
	now := s.opts.Now()
	t.Respcd, t.Paydtm, t.ChnlSN = "0000", now, s.nextChnlSNLocked(now)
	s.mu.Unlock()
	s.notify(t, "payment")
	return true
}

// SetAmount changes a transaction's amount (to test amount checks).
func (s *Server) SetAmount(outTradeNo string, fen int64) {
	s.mu.Lock()
	if t := s.byOut[outTradeNo]; t != nil {
		t.Txamt = fen
	}
	s.mu.Unlock()
}
