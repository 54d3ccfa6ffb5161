package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/posbridge/posbridge/ordering/pricing"
)

// writeJSON answers v with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"detail":"服务器出错了，请稍后再试。"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(b)
}

// writeDetail is DRF's shape of every error but a 400: {"detail": "…"}.
func writeDetail(w http.ResponseWriter, status int, detail string) {
	writeJSON(w, status, map[string]string{"detail": detail})
}

// writeFields is a 400 with messages by field.
func writeFields(w http.ResponseWriter, body map[string]any) {
	writeJSON(w, http.StatusBadRequest, body)
}

// writeNonField is a 400 not tied to a field.
func writeNonField(w http.ResponseWriter, msg string) {
	writeFields(w, map[string]any{pricing.NonField: []string{msg}})
}

// writeError answers a pricing or decoding error as its 400, anything else 500.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ve *pricing.ValidationError
	if errors.As(err, &ve) {
		writeFields(w, ve.Body())
		return
	}
	s.log.Error("ordering request failed", "path", r.URL.Path, "err", err)
	writeDetail(w, http.StatusInternalServerError, "服务器出错了，请稍后再试。")
}

func notFound(w http.ResponseWriter) { writeDetail(w, http.StatusNotFound, "未找到。") }

func tooMany(w http.ResponseWriter, retry int) {
	w.Header().Set("Retry-After", strconv.Itoa(retry))
	writeDetail(w, http.StatusTooManyRequests, "请求太频繁，请 "+strconv.Itoa(retry)+" 秒后再试。")
}

func unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	writeDetail(w, http.StatusUnauthorized, "身份认证信息未提供。")
}
