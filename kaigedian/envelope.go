package kaigedian

import (
	"bytes"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Version is the envelope version the documents ask for.
const Version = "1"

// Envelope is a signed request (or push) as it goes over the wire (§1.3):
// the business JSON travels as a string in RequestBody and is signed as
// exactly that string.
type Envelope struct {
	Ver         string `json:"ver"`
	PartnerID   string `json:"partnerId"`
	AppID       string `json:"appId"`
	RequestBody string `json:"requestBody"`
	Sign        string `json:"sign"`
}

// Params are the envelope fields that are signed.
func (e Envelope) Params() map[string]string {
	return map[string]string{
		"ver":         e.Ver,
		"partnerId":   e.PartnerID,
		"appId":       e.AppID,
		"requestBody": e.RequestBody,
	}
}

// NewEnvelope signs requestBody (already serialised, sent as is) for
// partnerID/appID with key.
func NewEnvelope(key *rsa.PrivateKey, partnerID, appID string, requestBody []byte) (Envelope, error) {
	e := Envelope{Ver: Version, PartnerID: partnerID, AppID: appID, RequestBody: string(requestBody)}
	sign, err := Sign(key, e.Params())
	if err != nil {
		return Envelope{}, err
	}
	e.Sign = sign
	return e, nil
}

// Marshal encodes the envelope without HTML escaping.
func (e Envelope) Marshal() ([]byte, error) { return marshalJSON(e) }

// Incoming is a received envelope (a push, or a request to the fake
// platform) split into what is signed and what is carried.
type Incoming struct {
	// Fields are the top-level members as sent.
	Fields map[string]json.RawMessage
	// Params are every top-level member except sign, rendered as the sender
	// signs them: strings raw, numbers and booleans as their literal text
	// (the Java demo's String.valueOf), objects as their JSON text.
	Params map[string]string
	Sign   string
	// HasBody is true when a requestBody member is present. Body is its
	// business JSON: the content of the string, or the object as sent.
	HasBody       bool
	Body          []byte
	BodyWasString bool
}

// ParseIncoming reads a JSON object that may be a signed envelope. It does
// not require requestBody (a bare business body parses too, HasBody false).
func ParseIncoming(raw []byte) (*Incoming, error) {
	var fields map[string]json.RawMessage
	if err := decodeLenient(raw, &fields); err != nil {
		return nil, fmt.Errorf("not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("not a JSON object: null")
	}
	in := &Incoming{Fields: fields, Params: make(map[string]string, len(fields))}
	for k, v := range fields {
		text, err := signedText(v)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", k, err)
		}
		if k == "sign" {
			in.Sign = text
			continue
		}
		in.Params[k] = text
	}
	if rb, ok := fields["requestBody"]; ok {
		in.HasBody = true
		rb = bytes.TrimSpace(rb)
		switch {
		case len(rb) > 0 && rb[0] == '"':
			in.BodyWasString = true
			in.Body = []byte(strings.TrimSpace(in.Params["requestBody"]))
		case len(rb) > 0 && rb[0] == '{':
			in.Body = append([]byte(nil), rb...)
		case string(rb) == "null":
			in.Body = nil
		default:
			return nil, fmt.Errorf("requestBody is %s, want a JSON string or object", jsonKind(rb))
		}
	}
	return in, nil
}

// Verify checks the envelope's sign with pub.
func (in *Incoming) Verify(pub *rsa.PublicKey) error {
	if strings.TrimSpace(in.Sign) == "" {
		return fmt.Errorf("%w: sign is missing", ErrBadSignature)
	}
	return Verify(pub, in.Params, in.Sign)
}

// signedText renders one JSON value as the sender renders it for signing.
func signedText(v json.RawMessage) (string, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return "", nil
	}
	if v[0] == '"' {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return "", err
		}
		return s, nil
	}
	return string(v), nil
}

// Response is a decoded response envelope (§1.4), read tolerantly (§7 #1–#3).
type Response struct {
	Ver     string
	Code    string // statusCode, else code; "100" is success
	Message string
	// Body is responseBody as JSON: the content of a JSON string, or the
	// object/array as sent; nil when absent, null or "".
	Body json.RawMessage
	// RawBody is responseBody as it arrived (string content or JSON text).
	RawBody string
	// BodyInvalid is set when responseBody was text that is not JSON even
	// after the documented repairs.
	BodyInvalid error
	Sign        string
}

// OK reports whether the platform answered success.
func (r *Response) OK() bool { return r.Code == CodeSuccess }

// Result codes of the platform (§1.5).
const (
	CodeSuccess      = "100"
	CodeMissingParam = "21"
	CodeInternal     = "500"
)

// ErrNoBody means a response carried no responseBody (absent, null or "").
var ErrNoBody = errors.New("response has no responseBody")

// DecodeBody unmarshals the response body into v, after removing trailing
// commas and fixing single quotes when the strict reading fails.
func (r *Response) DecodeBody(v any) error {
	if r.BodyInvalid != nil {
		return r.BodyInvalid
	}
	if len(r.Body) == 0 {
		return ErrNoBody
	}
	return decodeLenient(r.Body, v)
}

// DecodeResponse reads a response envelope. It fails only when the text is
// not a JSON object or has neither statusCode nor code.
func DecodeResponse(raw []byte) (*Response, error) {
	var fields map[string]json.RawMessage
	if err := decodeLenient(bytes.TrimSpace(raw), &fields); err != nil {
		return nil, fmt.Errorf("response is not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("response is not a JSON object: null")
	}
	r := &Response{}
	str := func(name string) (string, bool, error) {
		v, ok := fields[name]
		if !ok {
			return "", false, nil
		}
		s, err := flexString(v)
		if err != nil {
			return "", true, fmt.Errorf("response field %s: %w", name, err)
		}
		return strings.TrimSpace(s), true, nil
	}
	var err error
	var hasCode bool
	if r.Code, hasCode, err = str("statusCode"); err != nil {
		return nil, err
	}
	if !hasCode || r.Code == "" {
		if r.Code, hasCode, err = str("code"); err != nil {
			return nil, err
		}
	}
	if !hasCode || r.Code == "" {
		return nil, errors.New("response has neither statusCode nor code")
	}
	if r.Ver, _, err = str("ver"); err != nil {
		return nil, err
	}
	if r.Message, _, err = str("message"); err != nil {
		return nil, err
	}
	if r.Sign, _, err = str("sign"); err != nil {
		return nil, err
	}
	readBody(r, fields["responseBody"])
	return r, nil
}

// readBody normalises the five shapes of responseBody.
func readBody(r *Response, v json.RawMessage) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 || string(v) == "null" {
		return
	}
	if v[0] != '"' {
		r.RawBody = string(v)
		r.Body = append(json.RawMessage(nil), v...)
		return
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		r.BodyInvalid = fmt.Errorf("responseBody: %w", err)
		return
	}
	r.RawBody = s
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if s[0] != '{' && s[0] != '[' && s[0] != '\'' {
		// A bare scalar such as an order code: keep it as a JSON string.
		r.Body, _ = json.Marshal(s)
		return
	}
	b := []byte(s)
	if json.Valid(b) {
		r.Body = b
		return
	}
	if fixed := repairJSON(b); json.Valid(fixed) {
		r.Body = fixed
		return
	}
	r.BodyInvalid = fmt.Errorf("responseBody is not valid JSON (even after repairing trailing commas and quotes): %.80q", s)
}
