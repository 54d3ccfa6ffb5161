package config

import "strings"

// credentialKeys are the platform keys live mode needs, as 开个店 gives them.
var credentialKeys = []string{"platform.base_url", "platform.partner_id", "platform.app_id", "platform.access_token", "platform.private_key_file"}

func (p PlatformConfig) credentials() []string {
	return []string{p.BaseURL, p.PartnerID, p.AppID, p.AccessToken, p.PrivateKeyFile}
}

// SetupMode reports whether this is live mode before any 开个店 credential
// was set — the packaged config as installed. The daemon then runs in setup
// mode: the staff console only, no platform calls, no printing, a banner and
// `posbridge doctor` saying what to set. Some credentials set and others not
// is a mistake, not setup: the config check names what is missing.
func (c *Config) SetupMode() bool {
	if c.Sandbox || c.Platform.Mode != ModeLive {
		return false
	}
	for _, v := range c.Platform.credentials() {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// SetupMissing lists what setup mode waits for, as config keys.
func (c *Config) SetupMissing() []string {
	if !c.SetupMode() {
		return nil
	}
	return append([]string(nil), credentialKeys...)
}

// SetupMessage is the sentence the banner, the log, config check and
// doctor give in setup mode.
func (c *Config) SetupMessage() string {
	return "setup mode: no 开个店 credentials yet, so posbridge runs the staff console only (no platform calls, no printing): set " +
		strings.Join(c.SetupMissing(), ", ") + " in " + c.describeFile() + " (开个店 gives them to you), then restart posbridge"
}

func (c *Config) describeFile() string {
	if c.File == "" {
		return "the config file"
	}
	return c.File
}
