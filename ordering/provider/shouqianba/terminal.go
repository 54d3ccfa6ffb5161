package shouqianba

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// terminalState is what is kept in the data folder: the activated terminal
// and its current key (it changes at every check-in).
type terminalState struct {
	VendorSN    string    `json:"vendor_sn"`
	AppID       string    `json:"app_id"`
	DeviceID    string    `json:"device_id"`
	CodeHash    string    `json:"activation_code_sha256"` // which activation code made it
	TerminalSN  string    `json:"terminal_sn"`
	TerminalKey string    `json:"terminal_key"`
	PreviousKey string    `json:"previous_key,omitempty"` // until the new key has worked once
	ActivatedAt time.Time `json:"activated_at"`
	CheckedInAt time.Time `json:"checked_in_at"`
}

func hashCode(code string) string {
	if code == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(code))
	return hex.EncodeToString(sum[:8])
}

// stateFile keeps the terminal in one JSON file, replaced atomically.
type stateFile struct{ path string }

// errNoState means no terminal was activated yet.
var errNoState = errors.New("no terminal")

func (f stateFile) load() (terminalState, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return terminalState{}, errNoState
	}
	if err != nil {
		return terminalState{}, fmt.Errorf("shouqianba: read the terminal file %s: %w", f.path, err)
	}
	if fi, err := os.Stat(f.path); err == nil && fi.Mode().Perm()&0o077 != 0 {
		_ = os.Chmod(f.path, 0o600) // it holds the terminal key
	}
	var s terminalState
	if err := json.Unmarshal(b, &s); err != nil || s.TerminalSN == "" || s.TerminalKey == "" {
		return terminalState{}, fmt.Errorf("shouqianba: the terminal file %s is damaged; move it away and set sqb.activation_code to a new code from 收钱吧 to activate again", f.path)
	}
	return s, nil
}

// save writes s to a temporary file (0600) next to the target, syncs it and
// renames it over the target, so a crash leaves the old key or the new one,
// never half of either.
func (f stateFile) save(s terminalState) error {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("shouqianba: create %s: %w", dir, err)
	}
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".sqb-terminal-*")
	if err != nil {
		return fmt.Errorf("shouqianba: write the terminal file: %w", err)
	}
	name := tmp.Name()
	defer os.Remove(name) // after a successful rename there is nothing to remove
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("shouqianba: write the terminal file: %w", err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("shouqianba: write the terminal file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("shouqianba: write the terminal file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("shouqianba: write the terminal file: %w", err)
	}
	if err := os.Rename(name, f.path); err != nil {
		return fmt.Errorf("shouqianba: replace the terminal file: %w", err)
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // the rename itself survives a power cut
		d.Close()
	}
	return nil
}
