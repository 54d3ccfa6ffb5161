package fake

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
)

// result is what an endpoint answers: a code, a message and a body that
// goes into responseBody (nil = "").
type result struct {
	code    string
	message string
	body    any
}

func ok(body any) result { return result{code: kaigedian.CodeSuccess, message: "success", body: body} }

func missing(format string, args ...any) result {
	return result{code: kaigedian.CodeMissingParam, message: "缺少必要的请求参数: " + fmt.Sprintf(format, args...)}
}

func refused(msg string) result { return result{code: kaigedian.CodeInternal, message: msg} }

type handler func(p *Platform, b *body, txID string) result

var endpoints = map[string]handler{
	kaigedian.PathSubmit:            (*Platform).handleSubmit,
	kaigedian.PathBatchQuery:        (*Platform).handleBatchQuery,
	kaigedian.PathQueryDetail:       (*Platform).handleQueryDetail,
	kaigedian.PathHistoryOrders:     (*Platform).handleHistoryOrders,
	kaigedian.PathQueryRefundOrders: (*Platform).handleQueryRefundOrders,
	kaigedian.PathBatchOrderStatus:  (*Platform).handleBatchOrderStatus,
	kaigedian.PathStatusOperation:   (*Platform).handleStatusOperation,
	kaigedian.PathRefundOperation:   (*Platform).handleRefundOperation,
	kaigedian.PathCancel:            (*Platform).handleCancel,
	// goods.md, store.md and the 围餐 calls.
	kaigedian.PathSellOut:               (*Platform).handleSellOut,
	kaigedian.PathCancelSellOut:         (*Platform).handleCancelSellOut,
	kaigedian.PathSetStoreStatus:        (*Platform).handleSetStoreStatus,
	kaigedian.PathUpdateOrderItem:       (*Platform).handleUpdateOrderItem,
	kaigedian.PathPayAfterSyncOrderInfo: (*Platform).handlePayAfterSync,
}

// commands are answered with `code` instead of `statusCode`, as seed 001's
// examples do (unless PlainReplies).
var commands = map[string]bool{
	kaigedian.PathStatusOperation: true, kaigedian.PathRefundOperation: true, kaigedian.PathCancel: true,
}

// endpointPath is the documented path inside a request path that may carry
// any prefix (/openapi/order/…, /openapi/goods/…, /openapi/store/…).
func endpointPath(p string) string {
	best := -1
	for _, family := range []string{"/order/", "/goods/", "/store/"} {
		if i := strings.Index(p, family); i >= 0 && (best < 0 || i < best) {
			best = i
		}
	}
	if best < 0 {
		return ""
	}
	return p[best:]
}

type storedReply struct {
	status int
	body   []byte
	code   string
	msg    string
}

const maxStoredReplies = 50000

// Handler serves the platform. Paths may carry any prefix (/openapi/order/…).
func (p *Platform) Handler() http.Handler { return http.HandlerFunc(p.serve) }

func (p *Platform) serve(w http.ResponseWriter, r *http.Request) {
	path := endpointPath(r.URL.Path)
	handle, known := endpoints[path]
	if !known {
		writeJSON(w, http.StatusNotFound, []byte(`{"ver":"1","statusCode":"404","message":"接口不存在"}`))
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeJSON(w, http.StatusMethodNotAllowed, []byte(`{"ver":"1","statusCode":"405","message":"请使用POST"}`))
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	call := Call{Path: path, TransactionID: r.Header.Get("x-transaction-id"), At: p.now()}
	if err != nil {
		call.HTTPStatus = http.StatusBadRequest
		p.record(call)
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}

	p.mu.Lock()
	fault := p.takeFault(path)
	p.mu.Unlock()
	var faultKind FaultKind
	if fault != nil {
		faultKind = fault.Kind
		call.Fault = faultKind
	}
	if fault != nil && !fault.AfterApply {
		switch faultKind {
		case FaultSlow:
			if !p.sleep(r.Context(), fault.Delay) {
				p.record(call)
				return
			}
		case FaultHTTP500, FaultCode500, FaultHang, FaultMalformed:
			p.writeFault(w, r, faultKind, &call)
			p.record(call)
			return
		}
	}
	reply := p.process(r, raw, path, handle, &call, faultKind == FaultBadSign)
	if fault != nil && fault.AfterApply && faultKind != FaultSlow && faultKind != FaultBadSign {
		p.writeFault(w, r, faultKind, &call)
		p.record(call)
		return
	}
	call.HTTPStatus, call.Code, call.Message = reply.status, reply.code, reply.msg
	p.record(call)
	writeJSON(w, reply.status, reply.body)
}

// process authenticates and applies one request.
func (p *Platform) process(r *http.Request, raw []byte, path string, handle handler, call *Call, forceBadSign bool) storedReply {
	call.AccessToken = p.opts.AccessToken == "" || r.Header.Get("access_token") == p.opts.AccessToken
	if !call.AccessToken {
		return p.reply(path, http.StatusUnauthorized, result{code: "401", message: "access_token无效"})
	}
	in, err := kaigedian.ParseIncoming(raw)
	if err != nil {
		return p.reply(path, http.StatusOK, missing("请求报文不是合法的JSON"))
	}
	if p.opts.PartnerID != "" && in.Params["partnerId"] != p.opts.PartnerID {
		return p.reply(path, http.StatusOK, result{code: "401", message: "partnerId不存在或不匹配"})
	}
	if p.opts.AppID != "" && in.Params["appId"] != p.opts.AppID {
		return p.reply(path, http.StatusOK, result{code: "401", message: "appId不存在或不匹配"})
	}
	if strings.TrimSpace(in.Sign) == "" {
		return p.reply(path, http.StatusOK, missing("sign"))
	}
	if forceBadSign || in.Verify(p.merchantPub) != nil {
		return p.reply(path, http.StatusOK, result{code: "401", message: "签名验证失败"})
	}
	call.SignVerified = true
	if !in.HasBody || len(in.Body) == 0 {
		return p.reply(path, http.StatusOK, missing("requestBody"))
	}
	call.RawBody = string(in.Body)
	call.Body = decodeForRecord(in.Body)
	txID := call.TransactionID
	if txID == "" {
		return p.reply(path, http.StatusOK, missing("x-transaction-id"))
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	if stored, seen := p.txReplies[txID]; seen {
		call.Replayed = true
		return stored
	}
	b, err := readBody(in.Body)
	if err != nil {
		return p.reply(path, http.StatusOK, missing("%v", err))
	}
	reply := p.reply(path, http.StatusOK, handle(p, b, txID))
	p.txReplies[txID] = reply
	p.txOrder = append(p.txOrder, txID)
	if len(p.txOrder) > maxStoredReplies {
		delete(p.txReplies, p.txOrder[0])
		p.txOrder = p.txOrder[1:]
	}
	return reply
}

// reply renders a result as the platform's envelope.
func (p *Platform) reply(path string, status int, res result) storedReply {
	bodyText := ""
	if res.body != nil {
		if s, isText := res.body.(string); isText {
			bodyText = s
		} else {
			b, err := json.Marshal(res.body)
			if err != nil {
				res = refused("内部服务异常")
			} else {
				bodyText = string(b)
			}
		}
	}
	codeKey := "statusCode"
	if commands[path] && !p.opts.PlainReplies {
		codeKey = "code"
	}
	env := []struct{ k, v string }{{"ver", kaigedian.Version}, {codeKey, res.code}, {"message", res.message}, {"responseBody", bodyText}}
	if p.opts.SignReplies {
		params := map[string]string{}
		for _, kv := range env {
			params[kv.k] = kv.v
		}
		if sign, err := kaigedian.Sign(p.platformKey, params); err == nil {
			env = append(env, struct{ k, v string }{"sign", sign})
		}
	}
	var sb strings.Builder
	sb.WriteByte('{')
	for i, kv := range env {
		if i > 0 {
			sb.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		v, _ := json.Marshal(kv.v)
		sb.Write(k)
		sb.WriteByte(':')
		sb.Write(v)
	}
	sb.WriteByte('}')
	return storedReply{status: status, body: []byte(sb.String()), code: res.code, msg: res.message}
}

func (p *Platform) writeFault(w http.ResponseWriter, r *http.Request, kind FaultKind, call *Call) {
	switch kind {
	case FaultHTTP500:
		call.HTTPStatus = http.StatusInternalServerError
		http.Error(w, "Internal Server Error", http.StatusInternalServerError)
	case FaultCode500:
		rep := p.reply(call.Path, http.StatusOK, refused("内部服务异常"))
		call.HTTPStatus, call.Code, call.Message = rep.status, rep.code, rep.msg
		writeJSON(w, rep.status, rep.body)
	case FaultMalformed:
		call.HTTPStatus = http.StatusOK
		writeJSON(w, http.StatusOK, []byte(`{"ver":"1","statusCode":"100","message":"success","responseBody":"{\"itemList\":[{\"orderCode\":`))
	case FaultHang:
		select {
		case <-r.Context().Done():
		case <-p.closed:
		}
	}
}

// sleep waits d unless the request or the platform ends first.
func (p *Platform) sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-p.closed:
		return false
	}
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
