package console

import (
	"context"
	"net/http"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/checkout"
)

// The refunds of a scan-to-order order paid online (钱方 / 收钱吧): staff
// refusing or refunding it queue a refund the daemon sends through the
// provider (an outbox row); the drawer shows its state and, when the
// provider refused it, lets staff try again under the same refund number.

// RefundBook is where the refunds are kept (checkout.Book), by order code.
type RefundBook interface {
	Refunds(ctx context.Context, code string) ([]*checkout.Refund, bool, error)
	RetryRefunds(ctx context.Context, code, actor string) (n int, found bool, err error)
}

// onlineRefundView is one refund as the drawer shows it.
type onlineRefundView struct {
	State      string    `json:"state"`       // pending | done | failed
	StateLabel string    `json:"state_label"` // 退款中 | 已退款 | 退款失败
	Sentence   string    `json:"sentence"`    // what staff should know or do
	Amount     order.Fen `json:"amount"`
	Reason     string    `json:"reason"` // late | duplicate | rejected | staff
	Tries      int       `json:"tries"`
	Detail     string    `json:"detail,omitempty"` // the provider's answer
	CreatedAt  time.Time `json:"created_at"`
	NextAt     time.Time `json:"next_at,omitzero"`
	DoneAt     time.Time `json:"done_at,omitzero"`
}

// maxRefundDetail bounds the provider's text shown to staff.
const maxRefundDetail = 200

func refundView(f *checkout.Refund) onlineRefundView {
	v := onlineRefundView{State: f.State, Amount: order.Fen(f.AmountFen), Reason: f.Reason, Tries: f.Tries,
		Detail: clip(f.Detail, maxRefundDetail), CreatedAt: f.CreatedAt, DoneAt: f.DoneAt}
	amount := order.Fen(f.AmountFen).String()
	switch f.State {
	case checkout.RefundDone:
		v.StateLabel = "已退款"
		v.Sentence = "已原路退回顾客 " + amount + "。"
	case checkout.RefundFailed:
		v.StateLabel = "退款失败"
		v.Sentence = "支付服务商拒绝了这笔 " + amount + " 的退款，钱还没有退给顾客。请核对商户后台后点「重试退款」，或线下退给顾客。"
	default:
		v.StateLabel = "退款中"
		v.Sentence = "正在通过支付服务商原路退回 " + amount + "，无需操作；服务商未答复时会自动重试，不会重复退款。"
		if !f.NextAt.IsZero() {
			v.NextAt = f.NextAt
		}
	}
	return v
}

func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

func (s *Server) routeOnlineRefunds(mux *routeMux) {
	mux.HandleFunc("GET /api/orders/{code}/online-refunds", s.listOnlineRefunds)
	mux.HandleFunc("POST /api/orders/{code}/online-refunds/retry", s.retryOnlineRefunds)
}

func (s *Server) listOnlineRefunds(w http.ResponseWriter, r *http.Request) {
	if s.Refunds == nil {
		writeJSON(w, http.StatusOK, map[string]any{"refunds": []onlineRefundView{}})
		return
	}
	// No such order is an empty list, not an error: most orders are not
	// paid online.
	list, _, err := s.Refunds.Refunds(r.Context(), r.PathValue("code"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "读取退款记录失败："+err.Error())
		return
	}
	writeOnlineRefunds(w, list)
}

func writeOnlineRefunds(w http.ResponseWriter, list []*checkout.Refund) {
	out := make([]onlineRefundView, 0, len(list))
	for _, f := range list {
		out = append(out, refundView(f))
	}
	writeJSON(w, http.StatusOK, map[string]any{"refunds": out})
}

func (s *Server) retryOnlineRefunds(w http.ResponseWriter, r *http.Request) {
	if s.Refunds == nil {
		writeError(w, http.StatusNotFound, "本店没有开启在线支付")
		return
	}
	code := r.PathValue("code")
	n, found, err := s.Refunds.RetryRefunds(r.Context(), code, actorOf(r))
	switch {
	case err != nil:
		writeError(w, http.StatusInternalServerError, "重试退款失败："+err.Error())
		return
	case !found:
		writeError(w, http.StatusNotFound, "这不是在线支付的扫码点餐订单")
		return
	case n == 0:
		writeError(w, http.StatusConflict, "没有失败的退款可以重试（退款中或已退款）")
		return
	}
	s.log().Info("console: staff retried a refused online refund", "trade_no", code, "refunds", n, "actor", actorOf(r))
	list, _, err := s.Refunds.Refunds(r.Context(), code)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "读取退款记录失败："+err.Error())
		return
	}
	writeOnlineRefunds(w, list)
}
