package wechatpay

import (
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/rsakeys"
	"github.com/posbridge/posbridge/wechatpay/wxconfig"
)

// DoctorStatus is the verdict of one doctor check.
type DoctorStatus string

// Verdicts of DoctorCheck.
const (
	DoctorOK   DoctorStatus = "ok"
	DoctorWarn DoctorStatus = "warn"
	DoctorFail DoctorStatus = "fail"
	DoctorSkip DoctorStatus = "skip"
)

// DoctorCheck is one line of `posbridge doctor`: what was checked, what was
// found, and for a warning or failure the sentence that says how to fix it.
type DoctorCheck struct {
	Check  string
	Status DoctorStatus
	Result string
	Fix    string
}

// MerchantCertFileName is the merchant certificate's name in the bundle the
// merchant platform hands out, next to apiclient_key.pem.
const MerchantCertFileName = "apiclient_cert.pem"

// certExpiryWarning: a merchant certificate ending sooner than this is
// worth a warning.
const certExpiryWarning = 30 * 24 * time.Hour

// DoctorKeyFiles checks the merchant private key and, when a merchant
// certificate is found (certFile, or else apiclient_cert.pem next to the
// key), that its serial is merchant_serial_no and its key pairs with the
// private key.
func DoctorKeyFiles(cfg *Config, certFile string, now time.Time) []DoctorCheck {
	keyRow := DoctorCheck{Check: "wechatpay merchant key"}
	if !cfg.Enabled {
		keyRow.Status, keyRow.Result = DoctorSkip, "wechatpay.enabled is false"
		return []DoctorCheck{keyRow}
	}
	if msg := wxconfig.CheckPrivateKeyFile(cfg.PrivateKeyFile); msg != "" || strings.TrimSpace(cfg.PrivateKeyFile) == "" {
		if msg == "" {
			msg = "wechatpay.private_key_file is empty"
		}
		keyRow.Status, keyRow.Result = DoctorFail, msg
		keyRow.Fix = "set wechatpay.private_key_file to apiclient_key.pem of the 服务商/渠道商's merchant API certificate (商户平台 › 账户中心 › API安全 › 申请API证书)"
		return []DoctorCheck{keyRow}
	}
	data, _ := os.ReadFile(cfg.PrivateKeyFile)
	key, _ := rsakeys.ParsePrivate(data)
	keyRow.Status, keyRow.Result = DoctorOK, fmt.Sprintf("%s: RSA %d-bit private key", cfg.PrivateKeyFile, key.N.BitLen())
	return []DoctorCheck{keyRow, doctorMerchantCert(cfg, key, certFile, now)}
}

func doctorMerchantCert(cfg *Config, key *rsa.PrivateKey, certFile string, now time.Time) DoctorCheck {
	row := DoctorCheck{Check: "wechatpay merchant certificate serial"}
	if certFile == "" {
		certFile = filepath.Join(filepath.Dir(cfg.PrivateKeyFile), MerchantCertFileName)
		if _, err := os.Stat(certFile); errors.Is(err, os.ErrNotExist) {
			row.Status = DoctorSkip
			row.Result = "no " + MerchantCertFileName + " next to the key: merchant_serial_no " + cfg.MerchantSerialNo + " cannot be compared"
			return row
		}
	}
	data, err := os.ReadFile(certFile)
	if err != nil {
		row.Status, row.Result, row.Fix = DoctorFail, err.Error(), "make "+certFile+" readable by posbridge, or remove it"
		return row
	}
	cert, err := parseCertificate(data)
	if err != nil {
		row.Status, row.Result = DoctorFail, certFile+" is not a certificate: "+err.Error()
		row.Fix = "put the merchant's " + MerchantCertFileName + " from the same download as the key there"
		return row
	}
	serial := fmt.Sprintf("%X", cert.SerialNumber)
	pub, _ := cert.PublicKey.(*rsa.PublicKey)
	switch {
	case serialKey(serial) != serialKey(cfg.MerchantSerialNo):
		row.Status = DoctorFail
		row.Result = fmt.Sprintf("%s has serial %s, but merchant_serial_no is %q", certFile, serial, cfg.MerchantSerialNo)
		row.Fix = "set wechatpay.merchant_serial_no: " + serial + " (WeChat Pay answers SIGN_ERROR to a wrong serial)"
	case pub == nil || pub.N.Cmp(key.N) != 0 || pub.E != key.E:
		row.Status = DoctorFail
		row.Result = certFile + " does not belong to private_key_file: they come from different certificate downloads"
		row.Fix = "use apiclient_key.pem and apiclient_cert.pem of the same download, and its serial as merchant_serial_no"
	case now.After(cert.NotAfter):
		row.Status = DoctorFail
		row.Result = fmt.Sprintf("merchant certificate %s expired on %s", serial, cert.NotAfter.Format(time.DateOnly))
		row.Fix = "renew the merchant API certificate in the merchant platform (账户中心 › API安全) and set the new key file and serial"
	case cert.NotAfter.Sub(now) < certExpiryWarning:
		row.Status = DoctorWarn
		row.Result = fmt.Sprintf("merchant certificate %s expires on %s", serial, cert.NotAfter.Format(time.DateOnly))
		row.Fix = "renew the merchant API certificate in the merchant platform before then, and set the new key file and serial"
	default:
		row.Status = DoctorOK
		row.Result = fmt.Sprintf("%s: serial %s matches merchant_serial_no and the private key; valid until %s", certFile, serial, cert.NotAfter.Format(time.DateOnly))
	}
	return row
}

// DoctorPublicKey checks the WeChat Pay public key id and file, or says that
// platform certificates are used instead.
func DoctorPublicKey(cfg *Config) DoctorCheck {
	row := DoctorCheck{Check: "wechatpay public key"}
	id, file := strings.TrimSpace(cfg.PublicKeyID), strings.TrimSpace(cfg.PublicKeyFile)
	fix := "download the WeChat Pay public key (商户平台 › 账户中心 › API安全 › 微信支付公钥) and set public_key_id to its id and public_key_file to pub_key.pem"
	switch {
	case !cfg.Enabled:
		row.Status, row.Result = DoctorSkip, "wechatpay.enabled is false"
		return row
	case id == "" && file == "" && cfg.APIv3Key != "":
		row.Status, row.Result = DoctorSkip, "no public key configured: replies are verified with platform certificates (apiv3_key)"
		return row
	case id == "" && file == "":
		row.Status, row.Result, row.Fix = DoctorFail, "neither a public key nor an apiv3_key: replies cannot be verified", fix
		return row
	case !wxconfig.ValidPublicKeyID(id):
		row.Status, row.Result, row.Fix = DoctorFail, fmt.Sprintf("public_key_id %q does not look like PUB_KEY_ID_…", id), fix
		return row
	case file == "":
		row.Status, row.Result, row.Fix = DoctorFail, "public_key_file is empty", fix
		return row
	}
	if msg := wxconfig.CheckPublicKeyFile(file); msg != "" {
		row.Status, row.Result, row.Fix = DoctorFail, msg, fix
		return row
	}
	data, _ := os.ReadFile(file)
	if block, _ := pem.Decode(data); block != nil && block.Type == "CERTIFICATE" {
		row.Status = DoctorFail
		row.Result = file + " is a certificate, not the WeChat Pay public key: replies signed with " + id + " would fail"
		row.Fix = fix
		return row
	}
	pub, _ := rsakeys.ParsePublic(data)
	if mine := merchantPublicKey(cfg); mine != nil && mine.N.Cmp(pub.N) == 0 {
		row.Status = DoctorFail
		row.Result = file + " is the public half of your own merchant key, not WeChat Pay's"
		row.Fix = fix
		return row
	}
	row.Status, row.Result = DoctorOK, fmt.Sprintf("%s: RSA %d-bit public key for %s", file, pub.N.BitLen(), id)
	return row
}

func merchantPublicKey(cfg *Config) *rsa.PublicKey {
	data, err := os.ReadFile(cfg.PrivateKeyFile)
	if err != nil {
		return nil
	}
	k, err := rsakeys.ParsePrivate(data)
	if err != nil {
		return nil
	}
	return &k.PublicKey
}

// Clock thresholds: WeChat Pay refuses requests, and we refuse replies,
// five minutes off.
const (
	clockWarnSkew = 30 * time.Second
	clockFailSkew = 2 * time.Minute
)

// DoctorClock compares this PC's clock with the Date header of a probe's
// reply (taken at the middle of the round trip).
func DoctorClock(p ProbeResult) DoctorCheck {
	row := DoctorCheck{Check: "wechatpay clock"}
	if p.ServerTime.IsZero() {
		row.Status = DoctorWarn
		row.Result = "no Date header from WeChat Pay: the clock cannot be compared"
		if p.Err != nil {
			row.Result = "no answer from WeChat Pay: " + p.Err.Error()
		}
		row.Fix = "check this PC's internet connection and wechatpay.base_url"
		return row
	}
	skew := p.ServerTime.Sub(p.SentAt.Add(p.Latency / 2)).Round(time.Second)
	abs, direction := skew.Abs(), "ahead of"
	if skew > 0 {
		direction = "behind"
	}
	row.Status, row.Result = DoctorOK, fmt.Sprintf("this PC's clock is %s %s WeChat Pay's", abs, direction)
	if abs <= time.Second {
		row.Result = "clocks agree with WeChat Pay's"
	}
	fix := "turn on automatic time (Windows: Settings › Time & language › Set time automatically, then Sync now; Linux: sudo timedatectl set-ntp true); WeChat Pay refuses requests and posbridge refuses replies 5 minutes off"
	switch {
	case abs > clockFailSkew:
		row.Status, row.Fix = DoctorFail, fix
	case abs > clockWarnSkew:
		row.Status, row.Fix = DoctorWarn, fix
	}
	return row
}

// DoctorCredentials reads the probe's outcome: a signature WeChat Pay
// accepted and a reply we could verify.
func DoctorCredentials(p ProbeResult) DoctorCheck {
	row := DoctorCheck{Check: "wechatpay credentials"}
	var ae *APIError
	var te *TransportError
	var ve *VerifyError
	switch err := p.Err; {
	case err == nil:
		row.Status, row.Result = DoctorOK, fmt.Sprintf("signed test call accepted and its reply verified (%d ms)", p.Latency.Milliseconds())
	case errors.As(err, &te):
		row.Status, row.Result = DoctorFail, err.Error()
		row.Fix = "check this PC's internet connection; a firewall or proxy must allow HTTPS to api.mch.weixin.qq.com"
	case errors.As(err, &ae) && (ae.Code == "SIGN_ERROR" || ae.HTTPStatus == 401):
		row.Status, row.Result = DoctorFail, err.Error()
		row.Fix = "WeChat Pay refused our signature: merchant_serial_no must be the serial of the certificate of private_key_file, and sp_mchid (channel_id in mode channel) the merchant that owns it; check the clock too"
	case errors.As(err, &ae):
		row.Status, row.Result = DoctorWarn, err.Error()
		row.Fix = "the signature was accepted, but WeChat Pay refused the test call: check that the merchant has the 点餐订单信息同步 product and that your keys belong to it"
	case errors.As(err, &ve):
		row.Status, row.Result = DoctorFail, err.Error()
		row.Fix = "WeChat Pay's reply did not verify: check public_key_id and public_key_file (both from 微信支付公钥 in the merchant platform), or apiv3_key, and the clock"
	default:
		row.Status, row.Result = DoctorFail, err.Error()
		row.Fix = "check apiv3_key (the 32-character APIv3 key of the merchant platform) or configure the WeChat Pay public key instead"
	}
	return row
}
