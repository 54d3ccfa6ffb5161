package main

import (
	"bytes"
	"strings"
	"text/template"
)

// systemdUnit is the Linux service. The .deb and .rpm ship the same text
// (packaging/linux/posbridge.service, kept equal by a test).
//   - Restart=always with no start limit: a store PC runs unattended for years.
//   - SupplementaryGroups: dialout for serial scanners and printers, lp for
//     USB printers (/dev/usb/lp*). No PrivateDevices, which would hide both.
//   - StateDirectory creates /var/lib/posbridge owned by the service user.
var systemdUnit = template.Must(template.New("unit").Parse(`[Unit]
Description=posbridge: 开个店 orders to the store's printers
Documentation=https://github.com/posbridge/posbridge
Wants=network-online.target
After=network-online.target
StartLimitIntervalSec=0

[Service]
Type=simple
User={{.User}}
Group={{.User}}
SupplementaryGroups=dialout lp
ExecStart={{.ExecStart}}
Restart=always
RestartSec=5s
TimeoutStopSec=20s
StateDirectory=posbridge
StateDirectoryMode=0750
WorkingDirectory=/var/lib/posbridge
UMask=0027
NoNewPrivileges=yes
ProtectSystem=full
PrivateTmp=yes

[Install]
WantedBy=multi-user.target
`))

// linuxServiceUser is the dedicated account of the Linux service.
const linuxServiceUser = "posbridge"

// renderSystemdUnit is the unit for spec.
func renderSystemdUnit(spec serviceSpec) string {
	user := spec.Account
	if user == "" {
		user = linuxServiceUser
	}
	words := append([]string{spec.Exe}, spec.runArgs()...)
	for i, w := range words {
		words[i] = systemdQuote(w)
	}
	var b bytes.Buffer
	err := systemdUnit.Execute(&b, struct{ User, ExecStart string }{user, strings.Join(words, " ")})
	if err != nil {
		panic(err) // the template is a constant
	}
	return b.String()
}

// systemdQuote quotes a word of ExecStart when systemd would split or
// interpret it; '%' and '$' are systemd specifiers and expansions.
func systemdQuote(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	s = strings.ReplaceAll(s, "$", "$$")
	if s != "" && !strings.ContainsAny(s, " \t\"'\\;") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}
