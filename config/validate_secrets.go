package config

import (
	"os"
	"runtime"
	"strings"
)

// secretKeys are the keys whose values let someone act as the store.
var secretKeys = []string{"platform.access_token", "console.pin", "console.manager_pin", "console.api_token", "push.token", "wechatpay.apiv3_key"}

// secretFiles warns when a file holding a secret is readable by every
// account on this PC. Group-readable is fine: the packages install the
// config and keys 0640 root:posbridge, so that the service account reads
// them and nobody else does. Windows has no such mode bits; its ACLs are
// set by the installer.
func (v *validator) secretFiles() {
	if runtime.GOOS == "windows" {
		return
	}
	if v.c.File != "" && worldReadable(v.c.File) {
		var held []string
		for _, k := range secretKeys {
			if strings.HasPrefix(v.c.sources[k], "line ") && v.c.valueOf(k) != "" {
				held = append(held, k)
			}
		}
		if len(held) > 0 {
			v.problems = append(v.problems, Problem{Key: "config file", Warning: true,
				Message: v.c.File + " holds " + strings.Join(held, ", ") + " and every account on this PC can read it: " +
					"chmod 640 " + v.c.File + " (owner root, group of the service account), or move the secrets to POSBRIDGE_* environment variables"})
		}
	}
	for _, f := range []struct{ key, path string }{
		{"platform.private_key_file", v.c.Platform.PrivateKeyFile},
		{"push.tls_key_file", v.c.Push.TLSKeyFile},
		{"ordering.tls_key_file", v.c.Ordering.TLSKeyFile},
		{"wechatpay.private_key_file", v.c.WeChatPay.PrivateKeyFile},
	} {
		if f.path != "" && worldReadable(f.path) {
			v.warn(f.key, "%s is a private key and every account on this PC can read it: chmod 640 %s (owner root, group of the service account)", f.path, f.path)
		}
	}
}

func worldReadable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().Perm()&0o004 != 0
}

// valueOf is the value of a secret key, for secretFiles.
func (c *Config) valueOf(key string) string {
	switch key {
	case "platform.access_token":
		return c.Platform.AccessToken
	case "console.pin":
		return c.Console.Pin
	case "console.manager_pin":
		return c.Console.ManagerPin
	case "console.api_token":
		return c.Console.APIToken
	case "push.token":
		return c.Push.Token
	case "wechatpay.apiv3_key":
		return c.WeChatPay.APIv3Key
	}
	return ""
}
