package fake

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// maxBody bounds a request body, as any gateway does.
const maxBody = 1 << 20

// apiError is an answer other than success.
type apiError struct {
	status  int
	code    string
	message string
	detail  any
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	rec := Request{At: s.now(), Method: r.Method, URI: r.RequestURI, Header: r.Header.Clone(), Body: body}
	s.begin(&rec)
	if err != nil || len(body) > maxBody {
		s.answer(w, &rec, nil, &apiError{status: 400, code: "INVALID_REQUEST", message: "请求体过大或无法读取"})
		return
	}
	fault := s.takeFault(r.URL.Path)
	if fault != nil {
		rec.Fault = fault.Kind
		if e, done := s.preFault(w, r, &rec, fault); done {
			if e != nil {
				s.answer(w, &rec, nil, e)
			}
			return
		}
	}
	if e := checkHeaders(r); e != nil {
		s.answer(w, &rec, nil, e)
		return
	}
	if e := s.verifyAuthorization(r, body); e != nil {
		s.answer(w, &rec, nil, e)
		return
	}
	switch {
	case r.URL.Path == SyncPath && r.Method == http.MethodPost:
		if e := s.checkSync(r, body); e != nil {
			s.answer(w, &rec, nil, e)
			return
		}
		rec.Accepted = true
		s.reply(w, &rec, fault, http.StatusNoContent, nil)
	case r.URL.Path == CertificatesPath && r.Method == http.MethodGet:
		out, err := s.certificateList()
		if err != nil {
			s.answer(w, &rec, nil, &apiError{status: 500, code: "SYSTEM_ERROR", message: "系统错误"})
			return
		}
		s.reply(w, &rec, fault, http.StatusOK, out)
	case r.URL.Path == SyncPath || r.URL.Path == CertificatesPath:
		s.answer(w, &rec, nil, &apiError{status: 405, code: "METHOD_NOT_ALLOWED", message: "请求方法不被允许"})
	default:
		s.answer(w, &rec, nil, &apiError{status: 404, code: "NOT_FOUND", message: "请求的资源不存在"})
	}
}

// checkHeaders applies the APIv3 header rules that come before the
// signature.
func checkHeaders(r *http.Request) *apiError {
	if strings.TrimSpace(r.Header.Get("User-Agent")) == "" || strings.TrimSpace(r.Header.Get("Accept")) == "" {
		return &apiError{status: 400, code: "INVALID_REQUEST", message: "Http头缺少Accept或User-Agent"}
	}
	if r.Method == http.MethodPost {
		ct := strings.ToLower(r.Header.Get("Content-Type"))
		if !strings.HasPrefix(ct, "application/json") {
			return &apiError{status: 400, code: "INVALID_REQUEST", message: "Content-Type 须为 application/json"}
		}
	}
	return nil
}

// answer sends an error body (signed like every reply) and records it.
func (s *Server) answer(w http.ResponseWriter, rec *Request, fault *Fault, e *apiError) {
	rec.Code, rec.Message = e.code, e.message
	body := map[string]any{"code": e.code, "message": e.message}
	if e.detail != nil {
		body["detail"] = e.detail
	}
	data, _ := json.Marshal(body)
	s.reply(w, rec, fault, e.status, data)
}

// reply signs and writes a reply, spoilt as a reply fault asks, and
// records the request.
func (s *Server) reply(w http.ResponseWriter, rec *Request, fault *Fault, status int, body []byte) {
	if fault != nil && fault.Kind == FaultDropAfterProcess {
		rec.Status = 0
		s.record(*rec)
		dropConnection(w)
		return
	}
	s.signReply(w.Header(), body, fault)
	if body != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	if body != nil {
		_, _ = w.Write(body)
	}
	rec.Status = status
	s.record(*rec)
}

// dropConnection closes the connection without an answer: the request was
// processed, the reply is lost.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}
