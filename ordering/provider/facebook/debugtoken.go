package facebook

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"
)

// TokenInfo is debug_token's data.
type TokenInfo struct {
	AppID               string
	Type                string // USER, PAGE, APP
	Application         string
	UserID              string
	IsValid             bool
	ExpiresAt           time.Time // zero = never
	DataAccessExpiresAt time.Time
	IssuedAt            time.Time
	Scopes              []string
	ErrorCode           int // data.error when the token is invalid
	ErrorMessage        string
}

type debugReply struct {
	Data struct {
		AppID               flexID   `json:"app_id"`
		Type                string   `json:"type"`
		Application         string   `json:"application"`
		DataAccessExpiresAt int64    `json:"data_access_expires_at"`
		ExpiresAt           int64    `json:"expires_at"`
		IssuedAt            int64    `json:"issued_at"`
		IsValid             bool     `json:"is_valid"`
		Scopes              []string `json:"scopes"`
		UserID              flexID   `json:"user_id"`
		Error               *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
			Subcode int    `json:"subcode"`
		} `json:"error"`
	} `json:"data"`
}

func unix(s int64) time.Time {
	if s == 0 {
		return time.Time{}
	}
	return time.Unix(s, 0)
}

// DebugToken asks the Graph API what userToken is, with the app token.
func (c *Client) DebugToken(ctx context.Context, userToken string) (TokenInfo, error) {
	if userToken == "" {
		return TokenInfo{}, &RejectedError{Reason: "no token"}
	}
	var r debugReply
	err := c.get(ctx, "debug_token", "debug_token", url.Values{
		"input_token": {userToken}, "access_token": {c.cfg.AppID + "|" + c.cfg.AppSecret},
	}, &r, userToken)
	if err != nil {
		return TokenInfo{}, err
	}
	d := r.Data
	info := TokenInfo{
		AppID: string(d.AppID), Type: d.Type, Application: d.Application, UserID: string(d.UserID), IsValid: d.IsValid,
		ExpiresAt: unix(d.ExpiresAt), DataAccessExpiresAt: unix(d.DataAccessExpiresAt), IssuedAt: unix(d.IssuedAt), Scopes: d.Scopes,
	}
	if d.Error != nil {
		info.ErrorCode, info.ErrorMessage = d.Error.Code, d.Error.Message
	}
	return info, nil
}

// ErrTokenRejected is a login token that does not let the customer in (seed
// §3.2's 403, §10.1's 400). Test with errors.Is.
var ErrTokenRejected = errors.New("facebook: login token rejected")

// RejectedError says why a token was rejected.
type RejectedError struct{ Reason string }

func (e *RejectedError) Error() string        { return "facebook: login token rejected: " + e.Reason }
func (e *RejectedError) Is(target error) bool { return target == ErrTokenRejected }

// VerifyUserToken checks userToken: valid, this app's, a user token, not
// expired, and (when wantUserID is not empty) that user's. Any other error
// (transport, GraphError) is ours or Facebook's, not the customer's.
func (c *Client) VerifyUserToken(ctx context.Context, userToken, wantUserID string) (TokenInfo, error) {
	info, err := c.DebugToken(ctx, userToken)
	if err != nil {
		return TokenInfo{}, err
	}
	reject := func(why string) (TokenInfo, error) {
		c.log.Info("facebook login token rejected", "reason", why, "app_id", info.AppID)
		return TokenInfo{}, &RejectedError{Reason: why}
	}
	switch {
	case !info.IsValid:
		msg := "not valid"
		if info.ErrorMessage != "" {
			msg = fmt.Sprintf("not valid (%d: %s)", info.ErrorCode, info.ErrorMessage)
		}
		return reject(msg)
	case info.AppID != c.cfg.AppID:
		return reject("issued for another app")
	case info.Type != "USER":
		return reject("not a user token (" + info.Type + ")")
	case !info.ExpiresAt.IsZero() && !info.ExpiresAt.After(c.now()):
		return reject("expired")
	case info.UserID == "":
		return reject("no user in the token")
	case wantUserID != "" && info.UserID != wantUserID:
		return reject("issued to another user")
	}
	return info, nil
}
