package fake

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// Schedule is the pause before each retry of a notification that was not
// answered "success" (收钱吧's 1 s, 5 s, 30 s, 600 s).
var Schedule = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 600 * time.Second}

// notify posts the paid order's notification in the background.
func (s *Server) notify(o *sqbOrder) {
	s.mu.Lock()
	url := o.notifyURL
	body, _ := json.Marshal(map[string]any{
		"terminal_sn": o.terminalSN, "sn": o.sn, "client_sn": o.clientSN, "trade_no": o.tradeNo, "status": o.status,
		"order_status": o.orderStatus, "payway": "3", "sub_payway": "3", "payer_uid": "oSqbPayer000000000000000001",
		"payer_login": "", "total_amount": strconv.FormatInt(o.total, 10), "net_amount": strconv.FormatInt(o.net, 10),
		"subject": o.subject, "finish_time": ms(o.finished), "channel_finish_time": ms(o.finished),
		"operator": o.operator, "reflect": o.reflect,
		"payment_list": []map[string]string{{"type": "WALLET_WEIXIN", "amount_total": strconv.FormatInt(o.total, 10)}},
	})
	terminalSN := o.terminalSN
	s.mu.Unlock()
	if url == "" {
		return
	}
	sum := sha256.Sum256(body)
	sig, err := rsa.SignPKCS1v15(rand.Reader, s.key, crypto.SHA256, sum[:])
	if err != nil {
		return
	}
	auth := terminalSN + " " + base64.StdEncoding.EncodeToString(sig)
	s.notes.Send(url, body, http.Header{"Content-Type": {"application/json"}, "Authorization": {auth}})
}
