package api

import (
	"cmp"
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/menu"
	"github.com/posbridge/posbridge/ordering/orders"
	"github.com/posbridge/posbridge/ordering/views"
	"github.com/posbridge/posbridge/store"
)

// exceptionSpan: a top-up not credited counts as a problem for 30 days
// (digest §13 decision).
const exceptionSpan = 30 * 24 * time.Hour

func (s *Server) feedbackOf(r *http.Request, kind string, id int64) *feedbackView {
	a, err := s.opt.DB.MemberAppealByRef(r.Context(), kind, id)
	if err != nil {
		return nil
	}
	return &feedbackView{Status: a.Status, HasImages: len(a.Images) > 0}
}

// depositExceptions is §13.1: the customer's top-ups not credited in the
// last 30 days, and every one with an appeal.
func (s *Server) depositExceptions(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	list, _, err := s.opt.DB.MemberDeposits(r.Context(), rest.ID, customerKey(c), 1000, 0)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.now()
	out := []depositView{}
	for i := range list {
		d := &list[i]
		fb := s.feedbackOf(r, "deposit", d.ID)
		if fb == nil && (d.Status == store.DepositSuccess || now.Sub(d.CreatedAt) > exceptionSpan) {
			continue
		}
		v := depositOf(d, rest, now)
		v.OrderID, v.Feedback = members.DepositRef(d.ID), fb
		out = append(out, v)
	}
	page, err := views.Paginate(out, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	// The seed's rows carry "feedback": null when there is no appeal.
	writeJSON(w, http.StatusOK, nullFeedback(page))
}

// exceptionRow keeps feedback as null (not left out) in §13.1 rows.
type exceptionRow struct {
	depositView
	Feedback *feedbackView `json:"feedback"`
}

func nullFeedback(p views.Page[depositView]) views.Page[exceptionRow] {
	out := views.Page[exceptionRow]{Count: p.Count, Code: p.Code, Next: p.Next, Previous: p.Previous, Results: make([]exceptionRow, len(p.Results))}
	for i, v := range p.Results {
		out.Results[i] = exceptionRow{depositView: v, Feedback: v.Feedback}
		out.Results[i].depositView.Feedback = nil
	}
	return out
}

// appealBody is §13.2 / §14.2.
type appealBody struct {
	Order  int64  `json:"order"`
	Phone  string `json:"phone"`
	Reason string `json:"reason"`
	Image1 string `json:"image_1"`
	Image2 string `json:"image_2"`
	Image3 string `json:"image_3"`
}

func (b appealBody) images() []string {
	var out []string
	for _, im := range []string{b.Image1, b.Image2, b.Image3} {
		if im = strings.TrimSpace(im); im != "" {
			out = append(out, im)
		}
	}
	return out
}

// imageOK: evidence is an upload of this listener (§7.1), never an outside URL.
func (s *Server) imageOK(u string) bool {
	if base := strings.TrimRight(s.opt.Members.PublicURL, "/"); base != "" {
		u = strings.TrimPrefix(u, base)
	}
	return strings.HasPrefix(u, "/media/") && !strings.Contains(u, "..")
}

// depositFeedback is §13.2: 200, 400 when appealed already or credited.
func (s *Server) depositFeedback(w http.ResponseWriter, r *http.Request) {
	c, _, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	var b appealBody
	if !decodeSmall(w, r, &b) {
		return
	}
	if b.Order < 1 {
		writeFields(w, map[string]any{"order": []string{"请指定充值订单"}})
		return
	}
	if _, err := s.opt.Members.Ledger.AppealDeposit(r.Context(), customerKey(c), b.Order, b.Phone, b.Reason, b.images(), s.imageOK); err != nil {
		if errors.Is(err, members.ErrUnknownDeposit) {
			writeFields(w, map[string]any{"order": []string{"充值订单不存在"}})
			return
		}
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}

// exceptionOrder is a §14.1 row: the order object with its appeal.
type exceptionOrder struct {
	orders.View
	Feedback *feedbackView `json:"feedback"`
}

// orderExceptions is §14.1 (digest decision): the customer's orders paid
// online or with their card that ended cancelled or rejected, WeChat orders
// that closed unpaid (the customer may have paid), and every order they
// appealed.
func (s *Server) orderExceptions(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	paid, err := s.opt.DB.MemberOrderPaymentsOf(ctx, rest.ID, customerKey(c), 200)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	own, err := s.opt.DB.OrderingOrdersOfCustomer(ctx, rest.ID, c.CustomerID, "")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	seen := map[int64]bool{}
	var list []*store.OrderingOrder
	for _, p := range paid {
		if o, err := s.opt.DB.OrderingOrder(ctx, p.OrderID); err == nil && !seen[o.ID] {
			seen[o.ID] = true
			list = append(list, o)
		}
	}
	for _, o := range own {
		if !seen[o.ID] {
			seen[o.ID] = true
			list = append(list, o)
		}
	}
	slices.SortFunc(list, func(a, b *store.OrderingOrder) int { return cmp.Compare(b.ID, a.ID) })
	out := []exceptionOrder{}
	for _, o := range list {
		fb := s.feedbackOf(r, "order", o.ID)
		ended := orders.Status(o.Status) < orders.Placed
		online := o.PaidType == menu.PaidWeChat || o.PaidType == menu.PaidMemberCard
		if fb == nil && !(ended && online && (!o.PaidAt.IsZero() || o.PaidType == menu.PaidWeChat)) {
			continue
		}
		rec, err := orders.Decode(o.OrderJSON)
		if err != nil {
			continue
		}
		v := orders.NewView(o, rec, rest.Schedule.Zone(), orders.Owner)
		if p, err := s.opt.DB.MemberOrderPayment(ctx, o.ID); err == nil {
			v.IsPaid, v.PaidMch, v.PaidTime = true, "member", optTime(p.PaidAt, rest)
		}
		out = append(out, exceptionOrder{View: v, Feedback: fb})
	}
	page, err := views.Paginate(out, r.URL.Path, r.URL.Query())
	if err != nil {
		writeDetail(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, page)
}

// orderFeedback is §14.2: the customer's order, or one paid with their card.
func (s *Server) orderFeedback(w http.ResponseWriter, r *http.Request) {
	c, rest, ok := s.memberLogin(w, r)
	if !ok {
		return
	}
	var b appealBody
	if !decodeSmall(w, r, &b) {
		return
	}
	// The customer's own order (created while logged in) or one they paid
	// with their card; any other is not acknowledged.
	o, err := s.opt.DB.OrderingOrder(r.Context(), b.Order)
	mine := err == nil && o.RestaurantID == rest.ID && o.CustomerID == c.CustomerID && c.CustomerID != 0
	if err == nil && !mine {
		p, perr := s.opt.DB.MemberOrderPayment(r.Context(), b.Order)
		mine = perr == nil && p.CustomerID == customerKey(c) && p.RestaurantID == rest.ID
	}
	if errors.Is(err, store.ErrNotFound) || (err == nil && !mine) {
		writeFields(w, map[string]any{"order": []string{"订单不存在"}})
		return
	}
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if _, err := s.opt.Members.Ledger.AppealOrder(r.Context(), customerKey(c), o.ID, orders.Status(o.Status) == orders.Completed,
		b.Phone, b.Reason, b.images(), s.imageOK); err != nil {
		s.memberError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{})
}
