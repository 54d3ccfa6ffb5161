package accounts

import (
	"regexp"
	"strings"

	"github.com/posbridge/posbridge/ordering/provider"
)

// Defaults (ordering.facebook.graph_base_url, graph_version).
const (
	FacebookDefaultGraphBaseURL = "https://graph.facebook.com"
	FacebookDefaultGraphVersion = "v21.0"
	// FacebookDefaultDialogBaseURL is where the login dialog lives (the
	// page's redirect login, no SDK from a CDN).
	FacebookDefaultDialogBaseURL = "https://www.facebook.com"
)

// Facebook is ordering.facebook.
type Facebook struct {
	AppID        string `mapstructure:"app_id" yaml:"app_id"`
	AppSecret    string `mapstructure:"app_secret" yaml:"app_secret"`
	GraphBaseURL string `mapstructure:"graph_base_url" yaml:"graph_base_url"`
	GraphVersion string `mapstructure:"graph_version" yaml:"graph_version"`
	// DialogBaseURL is the login dialog's host (tests and the sandbox
	// point it at a fake).
	DialogBaseURL string `mapstructure:"dialog_base_url" yaml:"dialog_base_url"`
}

// Configured reports whether Facebook login is set up.
func (c Facebook) Configured() bool {
	return strings.TrimSpace(c.AppID) != "" || strings.TrimSpace(c.AppSecret) != ""
}

// WithDefaults fills the base URL and version when empty.
func (c Facebook) WithDefaults() Facebook {
	if strings.TrimSpace(c.GraphBaseURL) == "" {
		c.GraphBaseURL = FacebookDefaultGraphBaseURL
	}
	if strings.TrimSpace(c.GraphVersion) == "" {
		c.GraphVersion = FacebookDefaultGraphVersion
	}
	if strings.TrimSpace(c.DialogBaseURL) == "" {
		c.DialogBaseURL = FacebookDefaultDialogBaseURL
	}
	return c
}

var (
	appIDRE   = regexp.MustCompile(`^[0-9]{5,20}$`)
	versionRE = regexp.MustCompile(`^v[0-9]{1,3}\.[0-9]$`)
)

// Validate checks a configured app (defaults applied); an unconfigured one is
// valid: Facebook login is then off.
func (c Facebook) Validate() error {
	if !c.Configured() {
		return nil
	}
	c = c.WithDefaults()
	p := provider.Problems{Section: "facebook"}
	p.Required("app_id", c.AppID, "the App ID of your Facebook app (developers.facebook.com → your app → Settings → Basic)")
	if id := strings.TrimSpace(c.AppID); id != "" && !appIDRE.MatchString(id) {
		p.Add("app_id", "\""+id+"\" is not an App ID (digits only, from Settings → Basic)")
	}
	p.Required("app_secret", c.AppSecret, "the App Secret on the same page (Settings → Basic → App Secret → Show)")
	if !versionRE.MatchString(c.GraphVersion) {
		p.Add("graph_version", "\""+c.GraphVersion+"\" is not a Graph API version like "+FacebookDefaultGraphVersion)
	}
	CheckBaseURL(&p, "graph_base_url", c.GraphBaseURL, "leave it out for "+FacebookDefaultGraphBaseURL)
	CheckBaseURL(&p, "dialog_base_url", c.DialogBaseURL, "leave it out for "+FacebookDefaultDialogBaseURL)
	return p.Err()
}
