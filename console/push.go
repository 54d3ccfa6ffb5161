package console

import (
	"context"
	"crypto/rsa"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/posbridge/posbridge/kaigedian"
	"github.com/posbridge/posbridge/store"
)

// MaxPushBody is the largest push body accepted (1 MiB).
const MaxPushBody = 1 << 20

// PushSink is where an acknowledged push goes: the bridge.
type PushSink interface {
	NotifyInbox()
	PushReceived(at time.Time)
	PushRefused()
}

// PushReceiver serves the 开个店 push endpoints. It commits every push to the
// inbox before answering success (invariant 1) and never serves anything else.
type PushReceiver struct {
	DB        *store.DB
	Sink      PushSink
	PublicKey *rsa.PublicKey // when set, pushes must carry a valid sign
	Token     string         // when set, X-Push-Token or ?token= must match
	Log       *slog.Logger
	Now       func() time.Time
	// Instance names this run of the daemon (the console's /api/health says
	// the same): `posbridge doctor` tells our listener from another program
	// or another posbridge holding the port.
	Instance string
}

// pushPaths maps each push endpoint to its kind.
var pushPaths = map[string]kaigedian.PushKind{
	"/kaigedian/push/order":    kaigedian.PushOrder,
	"/kaigedian/push/refund":   kaigedian.PushRefund,
	"/kaigedian/push/delivery": kaigedian.PushDelivery,
	"/kaigedian/push/event":    kaigedian.PushEvent,
}

// Handler is the push listener's whole mux: the four push paths and a
// health check, nothing of the console.
func (p *PushReceiver) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, kind := range pushPaths {
		mux.Handle("POST "+path, p.handle(kind))
	}
	mux.HandleFunc("GET /kaigedian/push/health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "service": "posbridge", "instance": p.Instance})
	})
	return mux
}

type pushReply struct {
	Ver          string `json:"ver"`
	StatusCode   string `json:"statusCode"`
	Code         string `json:"code"`
	Message      string `json:"message"`
	ResponseBody string `json:"responseBody"`
}

func writeReply(w http.ResponseWriter, httpStatus int, code, message string) {
	w.Header().Set("Content-Type", "application/json;charset=utf-8")
	w.WriteHeader(httpStatus)
	_ = json.NewEncoder(w).Encode(pushReply{Ver: "1", StatusCode: code, Code: code, Message: message})
}

func (p *PushReceiver) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *PushReceiver) handle(kind kaigedian.PushKind) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remote := remoteIP(r)
		if p.Token != "" && !p.tokenOK(r) {
			p.refuse(r.Context(), kind, remote, nil, 0, http.StatusUnauthorized, "401", "push token missing or wrong")
			writeReply(w, http.StatusUnauthorized, "401", "push token missing or wrong")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPushBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.refuse(r.Context(), kind, remote, body, int(max(r.ContentLength, int64(len(body)))), http.StatusRequestEntityTooLarge, "413", "body over 1 MiB")
			writeReply(w, http.StatusRequestEntityTooLarge, "413", "body over 1 MiB")
			return
		}
		if err != nil {
			p.refuse(r.Context(), kind, remote, body, len(body), http.StatusOK, "21", "body could not be read: "+err.Error())
			writeReply(w, http.StatusOK, "21", "body could not be read")
			return
		}
		info, err := kaigedian.ValidatePush(kind, body, p.PublicKey)
		if err != nil {
			var pe *kaigedian.PushError
			status, code := http.StatusOK, "21"
			if errors.As(err, &pe) && pe.Status == 401 {
				status, code = http.StatusUnauthorized, "401"
			}
			p.refuse(r.Context(), kind, remote, body, len(body), status, code, err.Error())
			writeReply(w, status, code, err.Error())
			return
		}
		_, err = p.DB.AppendInbox(r.Context(), store.InboxItem{Kind: string(info.Kind), OrderCode: info.Code, Body: body,
			Signed: info.Signed, Remote: remote, ReceivedAt: p.now()})
		if err != nil {
			// Not acknowledged: the platform retries, nothing is lost.
			p.log().Error("push not stored; answered 500 so the platform retries", "kind", kind, "order", info.Code, "err", err)
			writeReply(w, http.StatusInternalServerError, "500", "inbox cannot be written: "+err.Error())
			return
		}
		if p.Sink != nil {
			p.Sink.PushReceived(p.now())
			p.Sink.NotifyInbox()
		}
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		_, _ = io.WriteString(w, kaigedian.PushReplyOK)
	})
}

func (p *PushReceiver) tokenOK(r *http.Request) bool {
	for _, got := range []string{r.Header.Get("X-Push-Token"), r.URL.Query().Get("token")} {
		if got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.Token)) == 1 {
			return true
		}
	}
	return false
}

// refuse keeps a refused push in the rejected-push log; no order is created.
func (p *PushReceiver) refuse(ctx context.Context, kind kaigedian.PushKind, remote string, body []byte, size, status int, code, reason string) {
	p.log().Warn("push refused", "kind", kind, "http", status, "code", code, "reason", reason, "remote", remote, "bytes", size)
	if p.Sink != nil {
		p.Sink.PushRefused()
	}
	if body == nil {
		body = []byte{}
	}
	if err := p.DB.RecordRejectedPush(ctx, store.RejectedPush{Kind: string(kind), HTTPStatus: status, Code: code,
		Reason: reason, Remote: remote, Body: body, BodySize: size}); err != nil {
		p.log().Error("record refused push", "err", err)
	}
}

func (p *PushReceiver) log() *slog.Logger {
	if p.Log != nil {
		return p.Log
	}
	return slog.Default()
}

func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return strings.TrimSpace(r.RemoteAddr)
	}
	return host
}
