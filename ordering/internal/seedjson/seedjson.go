// Package seedjson reads the examples of seed 002 kept under
// ordering/testdata/seed: the seed's bytes with its // comments and
// trailing commas, repaired into JSON as the digest describes (§17 #1, #2).
package seedjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Repair removes // comments outside strings and commas before } or ].
func Repair(src []byte) []byte {
	var out bytes.Buffer
	inString, escaped := false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case inString:
			out.WriteByte(c)
			if escaped {
				escaped = false
			} else if c == '\\' {
				escaped = true
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
			out.WriteByte(c)
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			if i < len(src) {
				out.WriteByte('\n')
			}
		default:
			out.WriteByte(c)
		}
	}
	// Trailing commas: a comma followed only by white space and } or ].
	b := out.Bytes()
	var res bytes.Buffer
	for i := 0; i < len(b); i++ {
		if b[i] == ',' {
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\n' || b[j] == '\t' || b[j] == '\r') {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
		}
		res.WriteByte(b[i])
	}
	return res.Bytes()
}

// Dir is ordering/testdata/seed.
func Dir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "seed")
}

// Load reads example name (e.g. "6.5-request") as repaired JSON, failing
// when the repair does not give valid JSON.
func Load(name string) ([]byte, error) {
	src, err := os.ReadFile(filepath.Join(Dir(), name+".jsonc"))
	if err != nil {
		return nil, err
	}
	out := Repair(src)
	if !json.Valid(out) {
		return nil, fmt.Errorf("seed example %s is not JSON after the repairs", name)
	}
	return out, nil
}
