package console

import (
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/members"
)

// 会员: a top-up refunded through its payment provider (behind the
// manager's PIN, audited; the provider call is an outbox row the daemon
// sends with one refund number until it is done), and the whole ledger as
// CSV with the holders' phones masked.

// maxLedgerExport bounds the all-cards CSV.
const maxLedgerExport = 20000

type topUpRefundBody struct {
	Reason     string `json:"reason"`
	ManagerPin string `json:"manager_pin"`
}

// memberTopUpRefund is POST /api/members/deposits/{id}/refund.
func (s *Server) memberTopUpRefund(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeError(w, http.StatusNotFound, "没有这笔充值")
		return
	}
	var b topUpRefundBody
	if err := readJSON(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if strings.TrimSpace(b.Reason) == "" {
		writeError(w, http.StatusBadRequest, "请填写退款原因")
		return
	}
	if !s.managerOK(w, r, b.ManagerPin) {
		return
	}
	f, err := l.RefundTopUp(r.Context(), id, actorOf(r), b.Reason)
	switch {
	case errors.Is(err, members.ErrUnknownDeposit):
		writeError(w, http.StatusNotFound, "没有这笔充值")
	case errors.Is(err, members.ErrDepositRefunded):
		writeError(w, http.StatusConflict, err.Error())
	case err != nil:
		writeError(w, http.StatusBadRequest, err.Error())
	default:
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "refund_no": f.RefundNo, "state": f.State,
			"amount": order.Fen(f.AmountFen).Yuan()})
	}
}

// memberLedgerAllCSV is GET /api/members/ledger.csv: every card's rows,
// the holder's phone masked.
func (s *Server) memberLedgerAllCSV(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	cards, err := l.Search(r.Context(), "", maxLedgerExport)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="member-ledger-`+time.Now().Format("20060102")+`.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"卡号", "手机", "时间", "账户", "变动", "变动前", "变动后", "原因", "操作人", "订单/充值", "备注"})
	for _, c := range cards {
		rows, err := s.ledgerRows(r.Context(), l, c.ID, maxLedgerExport)
		if err != nil {
			cw.Write([]string{c.CardNo, "", "", "", "", "", "", "读取失败", "", "", err.Error()})
			continue
		}
		phone := order.MaskPhone(c.Phone)
		for _, x := range rows {
			cw.Write([]string{c.CardNo, phone, x.At, x.Account, x.Delta, x.Before, x.After, x.Reason, csvSafe(x.Actor), x.Ref, csvSafe(x.Note)})
		}
	}
	cw.Flush()
}
