package fake

import (
	"net/http"
	"net/url"
	"strings"
)

// authorize checks app code, signature and mchid of a request whose
// parameters are params and whose signature is sign. It answers the refusal
// itself and returns false when the request must stop.
func (s *Server) authorize(w http.ResponseWriter, appCode, sign, signType string, params url.Values) bool {
	switch {
	case appCode != s.opts.AppCode:
		s.refuse(w, "1108", "unknown app_code")
	case sign == "":
		s.refuse(w, "1108", "sign missing")
	case signType != "" && !strings.EqualFold(signType, "MD5") && !strings.EqualFold(signType, "SHA256"):
		s.refuse(w, "1104", "X-QF-SIGNTYPE must be MD5 or SHA256")
	case !strings.EqualFold(sign, expectedSign(params, s.opts.ClientKey, signType)):
		s.refuse(w, "1108", "signature error")
	case s.opts.MchID == "" && params.Has("mchid"):
		s.refuse(w, "1104", "mchid must not be sent: this account has none")
	case s.opts.MchID != "" && params.Get("mchid") != s.opts.MchID:
		s.refuse(w, "1104", "mchid missing or wrong")
	case params.Has("key"):
		s.refuse(w, "1104", "the client key must never be sent")
	default:
		return true
	}
	return false
}

// apiParams reads a signed API call: headers and the form (POST) or query (GET).
func (s *Server) apiParams(w http.ResponseWriter, r *http.Request) (url.Values, bool) {
	var params url.Values
	if r.Method == http.MethodPost {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			s.refuse(w, "1103", "Content-Type must be application/x-www-form-urlencoded")
			return nil, false
		}
		r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
		if err := r.ParseForm(); err != nil {
			s.refuse(w, "1103", "unreadable form")
			return nil, false
		}
		params = r.PostForm
	} else {
		params = r.URL.Query()
	}
	for name, vs := range params {
		if len(vs) != 1 {
			s.refuse(w, "1103", "parameter "+name+" given more than once")
			return nil, false
		}
	}
	if !s.authorize(w, r.Header.Get("X-QF-APPCODE"), r.Header.Get("X-QF-SIGN"), r.Header.Get("X-QF-SIGNTYPE"), params) {
		return nil, false
	}
	return params, true
}
