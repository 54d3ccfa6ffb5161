// Package rsakeys reads the RSA keys 开个店 hands out, in every form the
// documents and demos show: PKCS#8 or PKCS#1 private keys and X.509 SPKI (or
// PKCS#1) public keys, as PEM or as bare base64, with any whitespace.
package rsakeys

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
)

// MinBits is the size the platform requires; smaller keys load with a warning.
const MinBits = 2048

// ParsePrivate parses an RSA private key in PKCS#8 or PKCS#1, PEM or bare base64.
func ParsePrivate(data []byte) (*rsa.PrivateKey, error) {
	der, err := toDER(data)
	if err != nil {
		return nil, err
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		rk, ok := k.(*rsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("private key is %T, not RSA", k)
		}
		return rk, nil
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	return nil, errors.New("not an RSA private key in PKCS#8 or PKCS#1 form")
}

// ParsePublic parses an RSA public key in X.509 SubjectPublicKeyInfo or PKCS#1
// form, PEM or bare base64.
func ParsePublic(data []byte) (*rsa.PublicKey, error) {
	der, err := toDER(data)
	if err != nil {
		return nil, err
	}
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		rk, ok := k.(*rsa.PublicKey)
		if !ok {
			return nil, fmt.Errorf("public key is %T, not RSA", k)
		}
		return rk, nil
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k, nil
	}
	if cert, err := x509.ParseCertificate(der); err == nil {
		if rk, ok := cert.PublicKey.(*rsa.PublicKey); ok {
			return rk, nil
		}
	}
	return nil, errors.New("not an RSA public key in X.509 (SPKI) or PKCS#1 form")
}

// toDER accepts PEM (any block type) or bare base64 with whitespace and line
// breaks anywhere (the Java key generator emits 76-column CRLF lines).
func toDER(data []byte) ([]byte, error) {
	text := strings.TrimSpace(strings.TrimPrefix(string(data), "\ufeff"))
	if text == "" {
		return nil, errors.New("key file is empty")
	}
	if strings.HasPrefix(text, "-----BEGIN") {
		block, _ := pem.Decode([]byte(text))
		if block == nil {
			return nil, errors.New("PEM block is damaged")
		}
		return block.Bytes, nil
	}
	compact := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\r', '\n':
			return -1
		}
		return r
	}, text)
	der, err := base64.StdEncoding.DecodeString(compact)
	if err != nil {
		if der2, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(compact, "=")); err2 == nil {
			return der2, nil
		}
		return nil, fmt.Errorf("key is neither PEM nor base64: %w", err)
	}
	return der, nil
}
