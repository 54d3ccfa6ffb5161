package console

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/posbridge/posbridge/order"
	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/ordering/money"
)

// 会员: the store's member cards — find one by number or phone, issue and
// import cards, see a card's ledger (and export it), adjust a balance with
// a reason behind console.manager_pin, and handle appeals.

// Import bounds: a CSV of cards is outside input.
const (
	maxImportBytes = 256 << 10
	maxImportLines = 5000
)

// managerPins limits tries of the manager's PIN per client address, like
// the staff PIN's.
type managerPins struct {
	once sync.Once
	l    *pinLimiter
}

func (s *Server) managerLimiter() *pinLimiter {
	s.manager.once.Do(func() { s.manager.l = newPinLimiter(s.now) })
	return s.manager.l
}

func (s *Server) routeMembers(mux *routeMux) {
	mux.HandleFunc("GET /api/members/cards", s.memberSearch)
	mux.HandleFunc("POST /api/members/cards", s.memberIssue)
	mux.HandleFunc("POST /api/members/cards/import", s.memberImport)
	mux.HandleFunc("GET /api/members/cards/{id}/ledger", s.memberLedger)
	mux.HandleFunc("GET /api/members/cards/{id}/ledger.csv", s.memberLedgerCSV)
	mux.HandleFunc("POST /api/members/cards/{id}/adjust", s.memberAdjust)
	mux.HandleFunc("GET /api/members/appeals", s.memberAppeals)
	mux.HandleFunc("POST /api/members/appeals/{id}/resolve", s.memberResolve)
	mux.HandleFunc("POST /api/members/deposits/{id}/refund", s.memberTopUpRefund) // member_refunds.go
	mux.HandleFunc("GET /api/members/ledger.csv", s.memberLedgerAllCSV)
}

func (s *Server) ledger(w http.ResponseWriter) (*members.Ledger, bool) {
	if s.Members == nil {
		writeError(w, http.StatusNotFound, "会员功能没有启用")
		return nil, false
	}
	return s.Members, true
}

type cardRow struct {
	ID         int64  `json:"id"`
	Restaurant int64  `json:"restaurant_id"`
	CardNo     string `json:"card_no"`
	Phone      string `json:"phone"` // masked
	Bound      bool   `json:"bound"`
	Balance    string `json:"balance"`
	Points     int64  `json:"points"`
	Level      string `json:"level"`
	Password   bool   `json:"has_password"`
}

func (s *Server) memberSearch(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if len(q) > 40 {
		writeError(w, http.StatusBadRequest, "搜索内容太长")
		return
	}
	hits, err := l.Search(r.Context(), q, 50)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := []cardRow{}
	for _, h := range hits {
		lv := l.Config().LevelFor(h.SpentFen)
		out = append(out, cardRow{ID: h.ID, Restaurant: h.RestaurantID, CardNo: h.CardNo, Phone: order.MaskPhone(h.Phone),
			Bound: h.CustomerID != "", Balance: money.Format(order.Fen(h.BalanceFen)), Points: h.Points, Level: lv.Name,
			Password: h.PasswordHash != ""})
	}
	writeJSON(w, http.StatusOK, map[string]any{"cards": out})
}

// managerOK checks console.manager_pin for a money-moving action, asked
// even on this PC, with the console's PIN limits (tries counted before the
// comparison). false: the reply is written.
func (s *Server) managerOK(w http.ResponseWriter, r *http.Request, typed string) bool {
	configured := s.Config.Console.ManagerPin
	if configured == "" {
		writeError(w, http.StatusForbidden, "没有设置店长 PIN（posbridge.yaml 的 console.manager_pin），不能调整余额")
		return false
	}
	attempt, wait := s.managerLimiter().begin("manager|" + pinClientKey(clientIP(r)))
	if attempt == nil {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		writeError(w, http.StatusTooManyRequests, "店长 PIN 错误次数过多，请 "+waitText(wait)+"后再试")
		return false
	}
	right, checked := checkPin(r, typed, configured)
	switch {
	case !checked:
		attempt.abandon()
		writeError(w, http.StatusServiceUnavailable, "正忙，请再试一次")
		return false
	case !right:
		left, lock := attempt.miss()
		msg := "店长 PIN 不正确"
		if lock > 0 {
			msg += "，请 " + waitText(lock) + "后再试"
		} else if left > 0 {
			msg += "，还可再试 " + strconv.Itoa(left) + " 次"
		}
		writeError(w, http.StatusForbidden, msg)
		return false
	}
	attempt.success()
	return true
}

type issueBody struct {
	Restaurant int64  `json:"restaurant_id"`
	CardNo     string `json:"card_no"`
	Password   string `json:"password"`
	Opening    string `json:"opening_balance"` // yuan
	ManagerPin string `json:"manager_pin"`
}

func (s *Server) restaurantOr1(id int64) int64 {
	if id > 0 {
		return id
	}
	if len(s.Config.Ordering.Restaurants) > 0 {
		return s.Config.Ordering.Restaurants[0].ID
	}
	return 1
}

// memberIssue hands out one card; an opening balance is money and needs
// the manager's PIN.
func (s *Server) memberIssue(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	var b issueBody
	if err := readJSON(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	var opening order.Fen
	if strings.TrimSpace(b.Opening) != "" {
		v, err := money.Parse(strings.TrimSpace(b.Opening))
		if err != nil {
			writeError(w, http.StatusBadRequest, "初始余额应是金额，例如 100.00")
			return
		}
		opening = v
	}
	if opening > 0 && !s.managerOK(w, r, b.ManagerPin) {
		return
	}
	c, err := l.Issue(r.Context(), s.restaurantOr1(b.Restaurant), b.CardNo, b.Password, opening, actorOf(r))
	if errors.Is(err, members.ErrCardExists) {
		writeError(w, http.StatusConflict, "卡号 "+strings.TrimSpace(b.CardNo)+" 已存在")
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	_ = l.Audit(r.Context(), actorOf(r), "member_card_issue", fmt.Sprintf("card %s opening %s", c.CardNo, opening.Yuan()))
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "id": c.ID, "card_no": c.CardNo})
}

type importLine struct {
	Line   int    `json:"line"`
	CardNo string `json:"card_no,omitempty"`
	Error  string `json:"error"`
}

// memberImport reads card_no,password,opening_balance lines (a header line
// is skipped); every line is checked and the bad ones named, and nothing is
// stored unless all are good. Opening balances need the manager's PIN
// (X-Manager-Pin).
func (s *Server) memberImport(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxImportBytes+4<<10))
	pin := r.Header.Get("X-Manager-Pin")
	if err == nil && strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		// The page sends {"csv": "…", "manager_pin": "…"}; tools may send text/csv.
		var j struct {
			CSV        string `json:"csv"`
			ManagerPin string `json:"manager_pin"`
		}
		if jerr := json.Unmarshal(body, &j); jerr != nil {
			writeError(w, http.StatusBadRequest, "请求不是有效的 JSON")
			return
		}
		body, pin = []byte(j.CSV), j.ManagerPin
	}
	if err != nil || len(body) > maxImportBytes {
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("文件太大：最多 %d KB", maxImportBytes>>10))
		return
	}
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")) // Excel's BOM
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	type card struct {
		line         int
		no, password string
		opening      order.Fen
	}
	var cards []card
	var bad []importLine
	seen := map[string]int{}
	var money0 order.Fen
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			bad = append(bad, importLine{Line: line, Error: "不是有效的 CSV 行：" + err.Error()})
			break
		}
		if len(cards)+len(bad) >= maxImportLines {
			bad = append(bad, importLine{Line: line, Error: fmt.Sprintf("最多 %d 行", maxImportLines)})
			break
		}
		if line == 1 && len(rec) > 0 && strings.Contains(strings.ToLower(rec[0]), "card") || line == 1 && len(rec) > 0 && strings.Contains(rec[0], "卡号") {
			continue
		}
		if len(rec) < 1 || len(rec) > 3 {
			bad = append(bad, importLine{Line: line, Error: "应是 卡号,密码,初始余额 三列"})
			continue
		}
		for len(rec) < 3 {
			rec = append(rec, "")
		}
		c := card{line: line, no: strings.TrimSpace(rec[0]), password: rec[1]}
		switch {
		case c.no == "" || len(c.no) > 32:
			bad = append(bad, importLine{Line: line, CardNo: c.no, Error: "卡号须为 1–32 个字符"})
			continue
		case seen[c.no] > 0:
			bad = append(bad, importLine{Line: line, CardNo: c.no, Error: fmt.Sprintf("卡号与第 %d 行重复", seen[c.no])})
			continue
		case len(c.password) > 64:
			bad = append(bad, importLine{Line: line, CardNo: c.no, Error: "密码最多 64 个字符"})
			continue
		}
		if t := strings.TrimSpace(rec[2]); t != "" {
			v, err := money.Parse(t)
			if err != nil {
				bad = append(bad, importLine{Line: line, CardNo: c.no, Error: "初始余额 " + t + " 不是金额（例如 100.00）"})
				continue
			}
			c.opening = v
		}
		if c.opening > 0 && c.password == "" {
			bad = append(bad, importLine{Line: line, CardNo: c.no, Error: "有余额的卡必须设密码"})
			continue
		}
		if _, err := l.CardByNo(r.Context(), s.restaurantOr1(0), c.no); err == nil {
			bad = append(bad, importLine{Line: line, CardNo: c.no, Error: "卡号已存在"})
			continue
		}
		seen[c.no] = line
		money0 += c.opening
		cards = append(cards, c)
	}
	if len(bad) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("%d 行有问题，没有导入任何卡", len(bad)), "lines": bad})
		return
	}
	if len(cards) == 0 {
		writeError(w, http.StatusBadRequest, "文件里没有卡")
		return
	}
	if money0 > 0 && !s.managerOK(w, r, pin) {
		return
	}
	rid := s.restaurantOr1(0)
	n := 0
	for _, c := range cards {
		if _, err := l.Issue(r.Context(), rid, c.no, c.password, c.opening, actorOf(r)); err != nil {
			writeJSON(w, http.StatusConflict, map[string]any{"error": fmt.Sprintf("第 %d 行（%s）没有导入：%v；之前的 %d 张已导入", c.line, c.no, err, n),
				"imported": n, "lines": []importLine{{Line: c.line, CardNo: c.no, Error: err.Error()}}})
			return
		}
		n++
	}
	_ = l.Audit(r.Context(), actorOf(r), "member_card_import", fmt.Sprintf("%d cards, opening %s", n, money0.Yuan()))
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "imported": n})
}

type ledgerRow struct {
	ID      int64  `json:"id"`
	At      string `json:"at"`
	Account string `json:"account"`
	Delta   string `json:"delta"`
	Before  string `json:"before"`
	After   string `json:"after"`
	Reason  string `json:"reason"`
	Actor   string `json:"actor"`
	Ref     string `json:"ref"`
	Note    string `json:"note"`
}

func rowOf(e members.Entry, zone *time.Location) ledgerRow {
	f := func(v int64) string {
		if e.Account == members.AccountBalance {
			return money.Format(order.Fen(v))
		}
		return strconv.FormatInt(v, 10)
	}
	ref := e.OrderRef
	if ref == "" {
		ref = e.TopUpRef
	}
	return ledgerRow{ID: e.ID, At: e.At.In(zone).Format("2006-01-02 15:04:05"), Account: e.Account, Delta: f(e.Delta),
		Before: f(e.Before), After: f(e.After), Reason: e.Reason, Actor: e.Actor, Ref: ref, Note: e.Note}
}

func (s *Server) cardOfPath(w http.ResponseWriter, r *http.Request) (*members.Ledger, members.Card, bool) {
	l, ok := s.ledger(w)
	if !ok {
		return nil, members.Card{}, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound, "没有这张卡")
		return nil, members.Card{}, false
	}
	c, err := l.CardByID(r.Context(), id)
	if err != nil {
		writeError(w, http.StatusNotFound, "没有这张卡")
		return nil, members.Card{}, false
	}
	return l, c, true
}

func (s *Server) ledgerRows(ctx context.Context, l *members.Ledger, cardID int64, limit int) ([]ledgerRow, error) {
	out := []ledgerRow{}
	for _, acct := range []string{members.AccountBalance, members.AccountPoints} {
		rows, _, err := l.Entries(ctx, cardID, acct, limit, 0)
		if err != nil {
			return nil, err
		}
		for _, e := range rows {
			out = append(out, rowOf(e, time.Local))
		}
	}
	return out, nil
}

func (s *Server) memberLedger(w http.ResponseWriter, r *http.Request) {
	l, c, ok := s.cardOfPath(w, r)
	if !ok {
		return
	}
	rows, err := s.ledgerRows(r.Context(), l, c.ID, 200)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"card": cardRow{ID: c.ID, Restaurant: c.RestaurantID, CardNo: c.CardNo, Bound: c.CustomerID != "",
		Balance: money.Format(order.Fen(c.BalanceFen)), Points: c.Points, Level: c.Level.Name, Password: c.PasswordHash != ""}, "rows": rows})
}

// memberLedgerCSV exports a card's ledger (no phone numbers in it).
func (s *Server) memberLedgerCSV(w http.ResponseWriter, r *http.Request) {
	l, c, ok := s.cardOfPath(w, r)
	if !ok {
		return
	}
	rows, err := s.ledgerRows(r.Context(), l, c.ID, 100000)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="member-`+strconv.FormatInt(c.ID, 10)+`-ledger.csv"`)
	w.Write([]byte("\xef\xbb\xbf"))
	cw := csv.NewWriter(w)
	cw.Write([]string{"卡号", "时间", "账户", "变动", "变动前", "变动后", "原因", "操作人", "订单/充值", "备注"})
	for _, x := range rows {
		cw.Write([]string{c.CardNo, x.At, x.Account, x.Delta, x.Before, x.After, x.Reason, x.Actor, x.Ref, csvSafe(x.Note)})
	}
	cw.Flush()
}

// csvSafe keeps a spreadsheet from reading staff's text as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@", rune(s[0])) {
		return "'" + s
	}
	return s
}

type adjustBody struct {
	Account    string `json:"account"` // balance | points
	Delta      string `json:"delta"`   // yuan for the balance ("-5.00"), whole points
	Reason     string `json:"reason"`
	ManagerPin string `json:"manager_pin"`
}

// memberAdjust changes a balance or points by hand: a reason, the
// manager's PIN, a ledger row of its own and an audit line.
func (s *Server) memberAdjust(w http.ResponseWriter, r *http.Request) {
	l, c, ok := s.cardOfPath(w, r)
	if !ok {
		return
	}
	var b adjustBody
	if err := readJSON(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if b.Account == "" {
		b.Account = members.AccountBalance
	}
	var delta int64
	switch b.Account {
	case members.AccountBalance:
		v, err := money.ParseSigned(strings.TrimSpace(b.Delta))
		if err != nil {
			writeError(w, http.StatusBadRequest, "调整金额应像 50.00 或 -5.00")
			return
		}
		delta = int64(v)
	case members.AccountPoints:
		v, err := strconv.ParseInt(strings.TrimSpace(b.Delta), 10, 64)
		if err != nil || v > 1e9 || v < -1e9 {
			writeError(w, http.StatusBadRequest, "调整积分应是整数")
			return
		}
		delta = v
	default:
		writeError(w, http.StatusBadRequest, "account 应是 balance 或 points")
		return
	}
	if strings.TrimSpace(b.Reason) == "" {
		writeError(w, http.StatusBadRequest, "请填写调整原因")
		return
	}
	if !s.managerOK(w, r, b.ManagerPin) {
		return
	}
	row, err := l.Adjust(r.Context(), c.ID, b.Account, delta, b.Reason, actorOf(r))
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	_ = l.Audit(r.Context(), actorOf(r), "member_adjust", fmt.Sprintf("card %s %s %s: %s", c.CardNo, b.Account, b.Delta, strings.TrimSpace(b.Reason)))
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "row": rowOf(row, time.Local)})
}

type appealRow struct {
	ID         int64    `json:"id"`
	Kind       string   `json:"kind"`
	Ref        string   `json:"ref"`
	Phone      string   `json:"phone"` // masked
	Reason     string   `json:"reason"`
	Images     []string `json:"images"`
	Status     string   `json:"status"`
	At         string   `json:"at"`
	ResolvedBy string   `json:"resolved_by"`
	Note       string   `json:"note"`
}

func (s *Server) memberAppeals(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	list, err := l.Appeals(r.Context(), 200)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := []appealRow{}
	for _, a := range list {
		ref := members.DepositRef(a.RefID)
		if a.Kind == "order" {
			ref = members.OrderRef(a.RefID)
		}
		out = append(out, appealRow{ID: a.ID, Kind: a.Kind, Ref: ref, Phone: order.MaskPhone(a.Phone), Reason: a.Reason, Images: a.Images,
			Status: a.Status, At: a.CreatedAt.Local().Format("2006-01-02 15:04"), ResolvedBy: a.ResolvedBy, Note: a.Note})
	}
	writeJSON(w, http.StatusOK, map[string]any{"appeals": out})
}

func (s *Server) memberResolve(w http.ResponseWriter, r *http.Request) {
	l, ok := s.ledger(w)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusNotFound, "没有这条申诉")
		return
	}
	var b struct {
		Note string `json:"note"`
	}
	if err := readJSON(r, &b); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	changed, err := l.ResolveAppeal(r.Context(), id, actorOf(r), b.Note)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if !changed {
		writeError(w, http.StatusConflict, "这条申诉不存在或已处理")
		return
	}
	_ = l.Audit(r.Context(), actorOf(r), "member_appeal_resolve", fmt.Sprintf("appeal %d: %s", id, strings.TrimSpace(b.Note)))
	writeJSON(w, http.StatusOK, map[string]any{"ok": true})
}
