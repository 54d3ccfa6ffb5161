// Package push receives 开个店's pushes: it authenticates them, commits
// each raw body to the inbox before it answers success (invariant 1), and
// tells the bridge one came. It serves nothing else: the push listener is
// its own, apart from the staff console.
package push

import (
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

// MaxBody is the largest push body accepted (1 MiB).
const MaxBody = 1 << 20

// Sink is where an acknowledged push goes: the bridge.
type Sink interface {
	NotifyInbox()
	PushReceived(at time.Time)
	PushRefused()
}

// Receiver serves the 开个店 push endpoints. It commits every push to the
// inbox before answering success (invariant 1) and never serves anything else.
type Receiver struct {
	DB        *store.DB
	Sink      Sink
	PublicKey *rsa.PublicKey // when set, pushes must carry a valid sign
	Token     string         // when set, X-Push-Token or ?token= must match
	// PartnerID and AppID are this merchant's: a push naming others is refused.
	PartnerID, AppID string
	// RefuseAll, when set, is why every push is refused: a listener open
	// to the network with nothing to authenticate pushes by
	// (config.PushOpenWithoutAuth). The poller brings the orders meanwhile.
	RefuseAll string
	refusals  refusalLimiter // push_refusals.go
	Log       *slog.Logger
	Now       func() time.Time
	// Instance names this run of the daemon (the console's /api/health says
	// the same): `posbridge doctor` tells our listener from another program
	// or another posbridge holding the port.
	Instance string
	// Tables and Signer serve the 围餐 third-party order detail
	// (third_detail.go); without them it answers 503.
	Tables TableOrders
	Signer ReplySigner
}

// pushPaths maps each push endpoint to its kind.
var pushPaths = map[string]kaigedian.PushKind{
	"/kaigedian/push/order":    kaigedian.PushOrder,
	"/kaigedian/push/refund":   kaigedian.PushRefund,
	"/kaigedian/push/delivery": kaigedian.PushDelivery,
	"/kaigedian/push/event":    kaigedian.PushEvent,
	"/kaigedian/push/product":  kaigedian.PushProduct, // 围餐: items added online
}

// Handler is the push listener's whole mux: the four push paths and a
// health check, nothing of the console.
func (p *Receiver) Handler() http.Handler {
	mux := http.NewServeMux()
	for path, kind := range pushPaths {
		mux.Handle("POST "+path, p.handle(kind))
	}
	mux.HandleFunc("POST "+ThirdDetailPath, p.thirdDetail)
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

func (p *Receiver) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

func (p *Receiver) handle(kind kaigedian.PushKind) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		remote := remoteIP(r)
		if p.RefuseAll != "" {
			p.reject(w, r, kind, remote, nil, int(max(r.ContentLength, 0)), http.StatusUnauthorized, "401", p.RefuseAll)
			return
		}
		tokenOK := p.Token != "" && p.tokenOK(r)
		if p.Token != "" && !tokenOK {
			p.reject(w, r, kind, remote, nil, int(max(r.ContentLength, 0)), http.StatusUnauthorized, "401", "push token missing or wrong")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			p.reject(w, r, kind, remote, body, int(max(r.ContentLength, int64(len(body)))), http.StatusRequestEntityTooLarge, "413", "body over 1 MiB")
			return
		}
		if err != nil {
			p.reject(w, r, kind, remote, body, len(body), http.StatusOK, "21", "body could not be read: "+err.Error())
			return
		}
		info, err := kaigedian.ValidatePushFor(kind, body, kaigedian.PushCheck{PublicKey: p.PublicKey, PartnerID: p.PartnerID, AppID: p.AppID})
		if err != nil {
			var pe *kaigedian.PushError
			status, code := http.StatusOK, "21"
			if errors.As(err, &pe) && pe.Status == 401 {
				status, code, body = http.StatusUnauthorized, "401", nil
			}
			p.reject(w, r, kind, remote, body, len(body), status, code, err.Error())
			return
		}
		_, err = p.DB.AppendInbox(r.Context(), store.InboxItem{Kind: string(info.Kind), OrderCode: info.Code, Body: body,
			Signed: info.Signed, TokenChecked: tokenOK, Remote: remote, ReceivedAt: p.now()})
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

func (p *Receiver) tokenOK(r *http.Request) bool {
	for _, got := range []string{r.Header.Get("X-Push-Token"), r.URL.Query().Get("token")} {
		if got != "" && subtle.ConstantTimeCompare([]byte(got), []byte(p.Token)) == 1 {
			return true
		}
	}
	return false
}

// reject answers a refused push and keeps it in the rejected-push log (no
// order is created). The log keeps a short prefix of the body, none of a
// push refused for its credentials, and a bounded number of entries; past
// the refusal rate limit of the sender (push_refusals.go) a refusal is
// answered 429 and only counted, so that a flood neither fills the disk nor
// the log. Pushes that verify never meet the limit.
func (p *Receiver) reject(w http.ResponseWriter, r *http.Request, kind kaigedian.PushKind, remote string, body []byte, size, status int, code, reason string) {
	if p.recordRefusal(w, r, kind, remote, body, size, status, code, reason) {
		writeReply(w, status, code, reason)
	}
}

// recordRefusal counts and records a refusal; false means it answered the
// request already (429, past the sender's refusal limit).
func (p *Receiver) recordRefusal(w http.ResponseWriter, r *http.Request, kind kaigedian.PushKind, remote string, body []byte, size, status int, code, reason string) bool {
	if p.Sink != nil {
		p.Sink.PushRefused()
	}
	if !p.refusals.allow(remote, p.now()) {
		if n, since, first := p.refusals.suppressed(remote, p.now()); first {
			p.log().Warn("refused pushes arrive too fast; answering 429 without recording them", "remote", remote,
				"suppressed", n, "since", since.Format(time.TimeOnly))
		}
		w.Header().Set("Retry-After", "1")
		writeReply(w, http.StatusTooManyRequests, "429", "too many refused pushes from this address")
		return false
	}
	p.log().Warn("push refused", "kind", kind, "http", status, "code", code, "reason", reason, "remote", remote, "bytes", size)
	if status == http.StatusUnauthorized {
		body = nil // whoever sends it is not the platform: nothing of it is worth a byte on disk
	}
	if err := p.DB.RecordRejectedPush(r.Context(), store.RejectedPush{Kind: string(kind), HTTPStatus: status, Code: code,
		Reason: reason, Remote: remote, Body: body, BodySize: size}); err != nil {
		p.log().Error("record refused push", "err", err)
	}
	return true
}

func (p *Receiver) log() *slog.Logger {
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
