package console

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/order"
)

// maxAPIBody caps JSON bodies of the console API.
const maxAPIBody = 1 << 20

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

// readJSON decodes an optional JSON body into v; an empty body is fine.
func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAPIBody))
	if err != nil {
		return errors.New("请求内容过大或无法读取")
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return errors.New("请求不是有效的 JSON：" + err.Error())
	}
	return nil
}

// actorOf names who acts: the staff name the page sends, else "staff".
func actorOf(r *http.Request) string {
	name := strings.TrimSpace(r.Header.Get("X-Staff-Name"))
	if name == "" {
		return "staff"
	}
	name = strings.ToValidUTF8(name, "")
	if r := []rune(name); len(r) > 40 {
		name = string(r[:40]) // cut by characters: a byte cut would split a Chinese name
	}
	return "staff:" + name
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := bridge.OrderFilter{Query: q.Get("q")}
	switch day := q.Get("date"); day {
	case "":
		f.Day = bridge.BusinessDay(s.now())
	case "all":
	default:
		if _, err := time.Parse(time.DateOnly, day); err != nil {
			writeError(w, http.StatusBadRequest, "date 须为 YYYY-MM-DD 或 all："+day)
			return
		}
		f.Day = day
	}
	if st := q.Get("status"); st != "" {
		for _, name := range strings.Split(st, ",") {
			s := order.Status(strings.TrimSpace(name))
			if !s.Valid() {
				writeError(w, http.StatusBadRequest, "未知的状态："+name)
				return
			}
			f.Statuses = append(f.Statuses, s)
		}
	}
	var err error
	if f.Limit, err = countParam(q.Get("limit")); err != nil {
		writeError(w, http.StatusBadRequest, "limit "+err.Error())
		return
	}
	if f.Offset, err = countParam(q.Get("offset")); err != nil {
		writeError(w, http.StatusBadRequest, "offset "+err.Error())
		return
	}
	orders, total, err := s.Bridge.Orders(r.Context(), f)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": viewOfOrders(orders), "total": total})
}

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request) {
	v, err := s.Bridge.Order(r.Context(), r.PathValue("code"))
	if errors.Is(err, bridge.ErrUnknownOrder) {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, viewOfOrder(v))
}

// actionBody is what staff actions may carry.
type actionBody struct {
	Reason       string `json:"reason"`
	ContactsName string `json:"contacts_name"`
	Mobile       string `json:"mobile"`
	// deliveryInfo's optional fields, when staff deliver themselves.
	ChannelCode string `json:"express_channel_code"`
	ChannelName string `json:"express_channel_name"`
	ExpressNo   string `json:"express_no"`
	Remark      string `json:"remark"`
}

// orderAction serves POST /api/orders/{code}/<action>.
func (s *Server) orderAction(act bridge.Action) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body actionBody
		if err := readJSON(r, &body); err != nil {
			writeError(w, http.StatusBadRequest, err.Error())
			return
		}
		req := bridge.ActionRequest{Action: act, Code: r.PathValue("code"), Actor: actorOf(r), Reason: body.Reason}
		if act == bridge.ActDeliver {
			req.Courier = &bridge.Courier{Name: body.ContactsName, Mobile: body.Mobile, ChannelCode: body.ChannelCode,
				ChannelName: body.ChannelName, ExpressNo: body.ExpressNo, Remark: body.Remark}
		}
		res, err := s.Bridge.Do(r.Context(), req)
		if err != nil {
			writeActionError(w, req.Code, err)
			return
		}
		writeJSON(w, http.StatusAccepted, res)
	}
}

func writeActionError(w http.ResponseWriter, code string, err error) {
	var se *bridge.StateError
	if errors.As(err, &se) {
		writeJSON(w, httpStatus(bridge.ErrorCode(err)), map[string]any{"code": code, "error": se.Message, "status": se.Status})
		return
	}
	writeBridgeError(w, err)
}

func (s *Server) scan(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Code string `json:"code"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	source := r.URL.Query().Get("source")
	if source == "" {
		source = "http"
	}
	res := s.Bridge.Scan(r.Context(), body.Code, source)
	if len(res.Candidates) > 0 {
		// A typed number several of the day's orders share (two stores'
		// 1001, a take code and a pickup number): staff pick one.
		writeJSON(w, http.StatusMultipleChoices, map[string]any{"error": res.Error, "pickup_no": strings.TrimSpace(body.Code),
			"candidates": res.Candidates})
		return
	}
	if res.Outcome == bridge.ENotFound || res.Outcome == bridge.EInvalid {
		writeJSON(w, scanStatus(res.Outcome), map[string]string{"error": res.Error})
		return
	}
	writeJSON(w, scanStatus(res.Outcome), res)
}

func (s *Server) reprint(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Doc     string `json:"doc"`
		Printer string `json:"printer"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	n, err := s.Bridge.Reprint(r.Context(), r.PathValue("code"), body.Doc, body.Printer, actorOf(r))
	if err != nil {
		if errors.Is(err, bridge.ErrUnknownOrder) {
			writeError(w, http.StatusNotFound, err.Error())
			return
		}
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"code": r.PathValue("code"), "doc": body.Doc, "jobs": n})
}

func (s *Server) submitPOS(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxAPIBody))
	if err != nil {
		writeError(w, http.StatusBadRequest, "请求内容过大或无法读取")
		return
	}
	body, snake := camelBody(raw)
	id, duplicate, err := s.Bridge.SubmitPOS(r.Context(), body, actorOf(r), strings.TrimSpace(r.Header.Get("Idempotency-Key")))
	var pe *bridge.SubmitProblemsError
	var ce *bridge.SubmitConflictError
	if errors.As(err, &ce) {
		writeError(w, http.StatusUnprocessableEntity, ce.Error())
		return
	}
	if errors.As(err, &pe) {
		problems := make([]map[string]string, 0, len(pe.Problems))
		for _, p := range pe.Problems {
			field := p.Field
			if snake {
				field = camelToSnake(field)
			}
			problems = append(problems, map[string]string{"field": field, "problem": p.Problem})
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "线下订单缺少或填错字段", "problems": problems})
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if duplicate {
		// Handed in before: the first one's state, nothing uploaded again.
		p, err := s.Bridge.POSOrderState(r.Context(), id)
		if err != nil {
			writeError(w, http.StatusInternalServerError, err.Error())
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"id": id, "state": p.State, "order_code": p.OrderCode, "duplicate": true})
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "state": bridge.CallPending})
}

func (s *Server) getPOS(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	p, err := s.Bridge.POSOrderState(r.Context(), id)
	if errors.Is(err, bridge.ErrUnknownPOSOrder) {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) platform(w http.ResponseWriter, r *http.Request) {
	calls, err := s.Bridge.Calls(r.Context(), bridge.OutboxFilter{States: []string{bridge.CallPending, bridge.CallFailed}, Limit: 100})
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"health": s.Bridge.Health(), "calls": viewOfCalls(calls)})
}

func (s *Server) listCalls(w http.ResponseWriter, r *http.Request) {
	f := bridge.OutboxFilter{OrderCode: r.URL.Query().Get("order"), Limit: 200}
	states, err := stateList(r.URL.Query().Get("state"), callStates)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	f.States = states
	calls, err := s.Bridge.Calls(r.Context(), f)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"calls": viewOfCalls(calls)})
}

func (s *Server) retryCall(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	if err := s.Bridge.RetryOutbox(r.Context(), id, actorOf(r)); err != nil {
		if bridge.ErrorCode(err) == bridge.ENotFound {
			writeError(w, http.StatusNotFound, "没有可重试的调用")
			return
		}
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id})
}

func (s *Server) abandonCall(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, "id 须为数字")
		return
	}
	if err := s.Bridge.AbandonOutbox(r.Context(), id, actorOf(r)); err != nil {
		if bridge.ErrorCode(err) == bridge.ENotFound {
			writeError(w, http.StatusNotFound, "没有正在重试的调用")
			return
		}
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "state": bridge.CallFailed})
}
