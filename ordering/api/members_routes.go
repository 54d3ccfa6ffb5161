package api

import (
	"crypto/rand"
	"net/http"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/payment"
)

// MemberOptions switch on the member endpoints (seed 002 §11–§14) and the
// card payment page.
type MemberOptions struct {
	Ledger *members.Ledger
	// TopUpProvider is a restaurant's online payment provider by name (the
	// menu's takeout.pay_mch: qf, sqb, or the sandbox's); nil or a nil
	// answer: can_order is false.
	TopUpProvider func(restaurantID int64, mch string) payment.Provider
	// PublicURL is where phones and providers reach this listener
	// (https://shop.example.com), for notify and return URLs.
	PublicURL string
	// ShopName is shown on the provider's pay page.
	ShopName string
	// PayKey signs the card payment page's tickets; random when nil (a
	// restart voids open tickets: the page asks pay-url again).
	PayKey []byte
	// DepositTTL is how long a top-up order waits for payment (15 min).
	DepositTTL time.Duration
}

func (s *Server) memberRoutes(handle func(string, map[string]http.HandlerFunc), m *http.ServeMux) {
	mo := s.opt.Members
	if mo == nil {
		return
	}
	if len(mo.PayKey) == 0 {
		mo.PayKey = make([]byte, 32)
		rand.Read(mo.PayKey)
	}
	handle("user-member-card/open", map[string]http.HandlerFunc{"POST": s.cardOpen})
	handle("user-member-card/bind", map[string]http.HandlerFunc{"POST": s.cardBind})
	handle("user-member-card/query", map[string]http.HandlerFunc{"GET": s.cardQuery})
	handle("user-member-card/consume-logs", map[string]http.HandlerFunc{"GET": s.cardConsumeLogs})
	handle("user-member-card/score-logs", map[string]http.HandlerFunc{"GET": s.cardScoreLogs})
	handle("user-member-card/unbind", map[string]http.HandlerFunc{"POST": s.cardUnbind})
	handle("deposit-orders/prices", map[string]http.HandlerFunc{"GET": s.depositPrices})
	handle("deposit-orders", map[string]http.HandlerFunc{"GET": s.depositList, "POST": s.depositCreate})
	handle("deposit-orders/{id}/pay-url", map[string]http.HandlerFunc{"GET": s.depositPayURL})
	handle("deposit-orders/{id}/is-paid", map[string]http.HandlerFunc{"GET": s.depositIsPaid})
	handle("deposit-orders/exceptions", map[string]http.HandlerFunc{"GET": s.depositExceptions})
	handle("deposit-payments/{provider}/notify", map[string]http.HandlerFunc{"POST": s.depositNotify})
	handle("deposit-order-feedback", map[string]http.HandlerFunc{"POST": s.depositFeedback})
	handle("orders/exceptions", map[string]http.HandlerFunc{"GET": s.orderExceptions})
	handle("order-feedback", map[string]http.HandlerFunc{"POST": s.orderFeedback})
	m.HandleFunc("GET "+memberPayPath, s.memberPayPage)
	m.HandleFunc("POST "+memberPayPath, s.memberPayConfirm)
}

// pathID is the positive integer {id} of the path, or a 404 written.
func pathID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		notFound(w)
		return 0, false
	}
	return id, true
}

func customerKey(c Caller) string { return strconv.FormatInt(c.CustomerID, 10) }
