package facebook

import (
	"errors"
	"net/url"

	"github.com/posbridge/posbridge/ordering/provider/internal/wire"
)

// LoginDialogURL is Facebook's login dialog for the page's redirect login
// (no SDK from a CDN): response_type=token sends the browser back to
// redirect with the user token in the fragment (#access_token=…&state=…),
// which the page hands to debug-token. state comes back unchanged.
func (c *Client) LoginDialogURL(redirect, state string) (string, error) {
	u, err := url.Parse(redirect)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New("facebook: the redirect must be the page's absolute URL")
	}
	q := url.Values{"client_id": {c.cfg.AppID}, "redirect_uri": {redirect}, "response_type": {"token"}, "state": {state}, "scope": {"public_profile"}}
	return wire.JoinURL(c.cfg.DialogBaseURL, c.cfg.GraphVersion+"/dialog/oauth") + "?" + q.Encode(), nil
}
