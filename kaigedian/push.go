package kaigedian

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// PushKind is the push endpoint a payload arrived on (§4).
type PushKind string

const (
	PushOrder    PushKind = "order"    // order status change (§4.1)
	PushRefund   PushKind = "refund"   // refund status change (§4.2)
	PushDelivery PushKind = "delivery" // delivery status (§4.3)
	PushEvent    PushKind = "event"    // order event, e.g. 备餐提醒 (§4.4)
	PushProduct  PushKind = "product"  // 围餐 items added online (§4.5)
)

// PushKinds are all kinds, in the order of the push endpoints.
var PushKinds = []PushKind{PushOrder, PushRefund, PushDelivery, PushEvent, PushProduct}

// Valid reports whether k is a known kind.
func (k PushKind) Valid() bool {
	switch k {
	case PushOrder, PushRefund, PushDelivery, PushEvent, PushProduct:
		return true
	}
	return false
}

// IDField is the required identifier of the kind: orderId for delivery
// pushes, orderCode for the others.
func (k PushKind) IDField() string {
	if k == PushDelivery {
		return "orderId"
	}
	return "orderCode"
}

// Push refusal statuses: 21 is answered HTTP 200 with code 21 (the
// platform's "required parameter missing"), 401 is answered HTTP 401.
const (
	PushStatusBadRequest   = 21
	PushStatusUnauthorized = 401
)

// PushError is a refused push. Status tells the receiver how to answer.
type PushError struct {
	Status int // PushStatusBadRequest or PushStatusUnauthorized
	Reason string
}

func (e *PushError) Error() string {
	return fmt.Sprintf("push refused (%d): %s", e.Status, e.Reason)
}

func badPush(format string, args ...any) error {
	return &PushError{Status: PushStatusBadRequest, Reason: fmt.Sprintf(format, args...)}
}

// PushInfo is a validated push.
type PushInfo struct {
	// Kind is the kind the body belongs to; it differs from the endpoint's
	// kind when a push arrived on the wrong path and was classified by its fields.
	Kind PushKind
	Code string // orderCode, or orderId for delivery pushes
	// Body is the business JSON: requestBody's content, or the bare body.
	Body     []byte
	Signed   bool // the envelope's sign was verified
	Envelope bool // the push came in the signed envelope
}

// ValidatePush checks a raw push body for endpoint kind. It accepts the
// signed envelope (requestBody a JSON string, or tolerantly an object) or a
// bare business body. With pub set, the envelope's sign must be present and
// valid, so a bare body is refused. It never panics.
func ValidatePush(kind PushKind, raw []byte, pub *rsa.PublicKey) (PushInfo, error) {
	return ValidatePushFor(kind, raw, PushCheck{PublicKey: pub})
}

// PushCheck is what a push must match: the platform's key, and this
// merchant's partnerId and appId (a valid signature for another merchant is
// not a push for this store).
type PushCheck struct {
	PublicKey *rsa.PublicKey
	PartnerID string // "" = not checked
	AppID     string // "" = not checked
}

// ValidatePushFor is ValidatePush that also refuses a push naming another
// merchant: the envelope's partnerId or appId, or the partnerId of a
// delivery push's body, when they differ from check's.
func ValidatePushFor(kind PushKind, raw []byte, check PushCheck) (info PushInfo, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, err = PushInfo{}, badPush("unreadable push: %v", r)
		}
	}()
	if !kind.Valid() {
		return PushInfo{}, badPush("unknown push kind %q", kind)
	}
	info, fields, err := AuthenticatePush(raw, check)
	if err != nil {
		return PushInfo{}, err
	}
	info.Kind = kind
	k, code, cerr := resolvePushKind(fields, kind)
	if cerr != nil {
		return PushInfo{}, cerr
	}
	info.Kind = k
	info.Code = code
	if k == PushProduct {
		// Acknowledged pushes must decode: a product push without lines
		// is refused now, not lost later.
		if _, err := DecodeProductPush(info.Body); err != nil {
			return PushInfo{}, err
		}
	}
	return info, nil
}

// AuthenticatePush reads a platform request sent to us (a push, or the 围餐
// third-party order detail request): the signed envelope or a bare body,
// checked against check as ValidatePushFor does. It returns the business
// JSON's members; info's Kind and Code are left for the caller.
func AuthenticatePush(raw []byte, check PushCheck) (info PushInfo, fields map[string]json.RawMessage, err error) {
	defer func() {
		if r := recover(); r != nil {
			info, fields, err = PushInfo{}, nil, badPush("unreadable push: %v", r)
		}
	}()
	pub := check.PublicKey
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 {
		return PushInfo{}, nil, badPush("empty body")
	}
	if trimmed[0] != '{' {
		return PushInfo{}, nil, badPush("body is not a JSON object")
	}
	in, perr := ParseIncoming(trimmed)
	if perr != nil {
		return PushInfo{}, nil, badPush("malformed JSON: %v", perr)
	}
	info = PushInfo{Envelope: in.HasBody}
	fields = in.Fields
	if in.HasBody {
		if len(in.Body) == 0 {
			return PushInfo{}, nil, badPush("requestBody is empty")
		}
		if fields, perr = objectFields(in.Body); perr != nil {
			return PushInfo{}, nil, badPush("requestBody is not a JSON object: %v", perr)
		}
		info.Body = in.Body
	} else {
		info.Body = trimmed
	}
	if pub != nil {
		if !in.HasBody {
			return PushInfo{}, nil, &PushError{Status: PushStatusUnauthorized, Reason: "unsigned push: a platform public key is configured, so the signed envelope is required"}
		}
		if verr := in.Verify(pub); verr != nil {
			reason := "sign does not verify with platform.public_key_file"
			if strings.TrimSpace(in.Sign) == "" {
				reason = "sign is missing"
			}
			return PushInfo{}, nil, &PushError{Status: PushStatusUnauthorized, Reason: reason}
		}
		info.Signed = true
	}
	if err := check.merchant(in, fields); err != nil {
		return PushInfo{}, nil, err
	}
	return info, fields, nil
}

// merchant refuses a push that names another merchant. Absent ids are not
// refused: bare bodies and most push bodies carry none.
func (check PushCheck) merchant(in *Incoming, body map[string]json.RawMessage) error {
	other := func(field, got, want string) error {
		return &PushError{Status: PushStatusUnauthorized,
			Reason: fmt.Sprintf("push for %s %q, but this store is %q: not for this merchant", field, cut(got, 40), want)}
	}
	if in.HasBody {
		if got := strings.TrimSpace(in.Params["partnerId"]); got != "" && check.PartnerID != "" && got != check.PartnerID {
			return other("partnerId", got, check.PartnerID)
		}
		if got := strings.TrimSpace(in.Params["appId"]); got != "" && check.AppID != "" && got != check.AppID {
			return other("appId", got, check.AppID)
		}
	}
	if v, ok := body["partnerId"]; ok && check.PartnerID != "" {
		if got, err := flexString(v); err == nil && strings.TrimSpace(got) != "" && strings.TrimSpace(got) != check.PartnerID {
			return other("partnerId", got, check.PartnerID)
		}
	}
	return nil
}

// ValidOrderCode reports whether s could be an order code of the platform:
// the documents' codes are digits (up to 23 of them), and no document has a
// code over 64 characters or with anything but letters, digits, '_' and '-'.
// Anything else is refused before it reaches an order, a log line or a URL.
func ValidOrderCode(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// Cut shortens s to n characters for a log line or a message.
func Cut(s string, n int) string { return cut(s, n) }

func cut(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// objectFields parses a JSON object into its members.
func objectFields(body []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := decodeLenient(bytes.TrimSpace(body), &fields); err != nil {
		return nil, err
	}
	if fields == nil {
		return nil, errors.New("null")
	}
	return fields, nil
}

// pushID reads the required id: a non-empty string, or a number (kept as
// its text). Objects, arrays, booleans, null and "" are refused.
func pushID(fields map[string]json.RawMessage, name string) (string, error) {
	v, ok := fields[name]
	if !ok {
		return "", badPush("%s is missing", name)
	}
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return "", badPush("%s is missing", name)
	}
	switch v[0] {
	case '"':
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", badPush("%s is not a valid string", name)
		}
		if s = strings.TrimSpace(s); s == "" {
			return "", badPush("%s is empty", name)
		}
		if !ValidOrderCode(s) {
			return "", badPush("%s %q is not an order code: at most 64 letters, digits, '_' or '-'", name, cut(s, 70))
		}
		return s, nil
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		var n json.Number
		if err := json.Unmarshal(v, &n); err != nil {
			return "", badPush("%s is not a valid number", name)
		}
		if !ValidOrderCode(n.String()) {
			return "", badPush("%s %s is not an order code: at most 64 letters, digits, '_' or '-'", name, cut(n.String(), 70))
		}
		return n.String(), nil
	}
	return "", badPush("%s must be a string, got %s", name, jsonKind(v))
}

// resolvePushKind decides which kind a body is and reads its id. A body
// that clearly belongs to another kind (a push on the wrong path) is that
// kind when it carries that kind's id; otherwise the endpoint's kind and id
// rule apply.
func resolvePushKind(fields map[string]json.RawMessage, hint PushKind) (PushKind, string, error) {
	if k := classifyPush(fields, hint); k != hint {
		if code, err := pushID(fields, k.IDField()); err == nil {
			return k, code, nil
		}
	}
	code, err := pushID(fields, hint.IDField())
	return hint, code, err
}

// classifyPush guesses the kind of a body from its fields, keeping hint
// when the body fits it.
func classifyPush(fields map[string]json.RawMessage, hint PushKind) PushKind {
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := fields[n]; ok {
				return true
			}
		}
		return false
	}
	fits := map[PushKind]bool{
		PushDelivery: has("orderId") && has("deliveryStatus", "deliveryId"),
		PushRefund:   has("orderCode") && has("refundStatus", "refundstatus", "refundType", "refundReason"),
		PushEvent:    has("orderCode") && has("eventType"),
		PushProduct:  has("orderCode") && has("products"),
		PushOrder:    has("orderCode") && has("orderStatus", "statusCode", "orderState", "cancelStatus", "cancelType"),
	}
	if fits[hint] {
		return hint
	}
	for _, k := range []PushKind{PushDelivery, PushRefund, PushEvent, PushProduct, PushOrder} {
		if fits[k] {
			return k
		}
	}
	return hint
}

// PushReply is the body posbridge answers a push with. Both spellings of the
// result code are sent because the documents use both (§7 #1).
func PushReply(code, message string) []byte {
	b, _ := marshalJSON(struct {
		Ver          string `json:"ver"`
		StatusCode   string `json:"statusCode"`
		Code         string `json:"code"`
		Message      string `json:"message"`
		ResponseBody string `json:"responseBody"`
	}{Version, code, code, message, ""})
	return b
}

// PushReplyOK is the success reply to a push, byte for byte.
const PushReplyOK = `{"ver":"1","statusCode":"100","code":"100","message":"success","responseBody":""}`
