package console

import (
	"context"
	"errors"
	"net/http"

	"github.com/posbridge/posbridge/ordering/wechatsync"
)

// WeChatSyncDesk is the WeChat Pay catering sync as the console sees it
// (wechatsync.Desk): each scan-to-order order's sync state and a retry.
type WeChatSyncDesk interface {
	OrderSyncs(ctx context.Context, code string) ([]wechatsync.View, error)
	Retry(ctx context.Context, code, actor string) (int, error)
}

func (s *Server) routeWeChatSync(mux router) {
	mux.HandleFunc("GET /api/orders/{code}/wechatpay", s.orderWeChatSync)
	mux.HandleFunc("POST /api/orders/{code}/wechatpay/retry", s.retryWeChatSync)
}

func (s *Server) orderWeChatSync(w http.ResponseWriter, r *http.Request) {
	if s.WeChatSync == nil {
		writeJSON(w, http.StatusOK, map[string]any{"enabled": false, "syncs": []wechatsync.View{}})
		return
	}
	syncs, err := s.WeChatSync.OrderSyncs(r.Context(), r.PathValue("code"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"enabled": true, "syncs": syncs})
}

func (s *Server) retryWeChatSync(w http.ResponseWriter, r *http.Request) {
	if s.WeChatSync == nil {
		writeError(w, http.StatusNotFound, "未开启微信支付点餐同步")
		return
	}
	n, err := s.WeChatSync.Retry(r.Context(), r.PathValue("code"), actorOf(r))
	switch {
	case errors.Is(err, wechatsync.ErrNothingToRetry):
		writeError(w, http.StatusNotFound, "这笔订单没有需要重试的微信支付同步")
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"retried": n})
}
