package fake

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"
)

// DialogUser is who logs in at the fake login dialog unless
// Options.DialogUser says otherwise.
var DialogUser = Token{UserID: "10158000000000001", Name: "Facebook 顾客"}

// dialog is the login dialog (/{version}/dialog/oauth) of the redirect
// login: it checks what Facebook checks (this app's client_id, an absolute
// redirect_uri, response_type=token) and, the user having agreed, sends the
// browser back with a user token in the fragment and the state unchanged.
func (g *Graph) dialog(w http.ResponseWriter, r *http.Request, version string) {
	g.mu.Lock()
	g.calls["dialog"]++
	g.mu.Unlock()
	q := r.URL.Query()
	ret, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case !slices.Contains(g.opts.Versions, version):
		http.Error(w, "unknown version", http.StatusNotFound)
		return
	case q.Get("client_id") != g.opts.AppID:
		http.Error(w, "Invalid App ID: "+q.Get("client_id"), http.StatusBadRequest)
		return
	case err != nil || ret.Host == "" || (ret.Scheme != "https" && ret.Scheme != "http"):
		http.Error(w, "URL blocked: redirect_uri is not an absolute URL", http.StatusBadRequest)
		return
	case q.Get("response_type") != "token":
		http.Error(w, "response_type must be token for this app", http.StatusBadRequest)
		return
	}
	user := g.opts.DialogUser
	if user.UserID == "" {
		user = DialogUser
	}
	tok := g.Issue(user)
	frag := url.Values{"access_token": {tok}, "data_access_expiration_time": {strconv.FormatInt(g.opts.Now().Add(90*24*time.Hour).Unix(), 10)},
		"expires_in": {"5183944"}, "state": {q.Get("state")}}
	ret.Fragment = ""
	http.Redirect(w, r, ret.String()+"#"+frag.Encode(), http.StatusFound)
}
