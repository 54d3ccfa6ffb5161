package fake

import (
	"encoding/json"
	"net/http"
	"time"
)

func (s *Server) activate(w http.ResponseWriter, r *http.Request, body []byte) {
	sn, ok := s.checkAuth(w, r, body, s.opts.VendorKey)
	if !ok {
		return
	}
	if sn != s.opts.VendorSN {
		s.top(w, "400", "ILLEGAL_SIGN", "unknown vendor_sn")
		return
	}
	var req map[string]string
	if err := json.Unmarshal(body, &req); err != nil {
		s.top(w, "400", "INVALID_PARAMS", "body must be a JSON object of strings")
		return
	}
	now := s.opts.Now()
	s.mu.Lock()
	code := s.codes[req["code"]]
	switch {
	case req["app_id"] != s.opts.AppID:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "app_id 错误")
		return
	case req["device_id"] == "" || len(req["device_id"]) > 128:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "device_id 不可以为空")
		return
	case code == nil:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "激活码不存在")
		return
	case now.Sub(code.issued) > 7*24*time.Hour:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "激活码已过期")
		return
	case code.uses <= 0:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "激活码已经被使用")
		return
	case s.devices[req["device_id"]]:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_PARAMS", "设备号重复")
		return
	}
	code.uses--
	s.devices[req["device_id"]] = true
	s.seq++
	t := &terminal{sn: "1029837" + itoa(1000+s.seq), deviceID: req["device_id"], key: s.newKey()}
	s.terminals[t.sn] = t
	s.mu.Unlock()
	s.write(w, map[string]any{"result_code": "200", "biz_response": map[string]string{"terminal_sn": t.sn, "terminal_key": t.key}})
}

func (s *Server) checkin(w http.ResponseWriter, r *http.Request, body []byte) {
	var req map[string]string
	if err := json.Unmarshal(body, &req); err != nil {
		s.top(w, "400", "INVALID_PARAMS", "body must be a JSON object of strings")
		return
	}
	s.mu.Lock()
	keys := s.terminalKeysLocked(req["terminal_sn"])
	s.mu.Unlock()
	sn, ok := s.checkAuth(w, r, body, keys...)
	if !ok {
		return
	}
	s.mu.Lock()
	t := s.terminals[sn]
	switch {
	case t == nil || sn != req["terminal_sn"]:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_TERMINAL", "终端不存在")
		return
	case req["device_id"] != t.deviceID:
		s.mu.Unlock()
		s.top(w, "400", "INVALID_TERMINAL", "设备号与终端不符")
		return
	}
	t.oldKey, t.oldUntil = t.key, s.opts.Now().Add(s.opts.KeyGrace)
	t.key = s.newKey()
	t.checkins++
	key := t.key
	s.mu.Unlock()
	s.write(w, map[string]any{"result_code": "200", "biz_response": map[string]string{"terminal_sn": sn, "terminal_key": key}})
}

func itoa(n int) string {
	b := []byte{}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
