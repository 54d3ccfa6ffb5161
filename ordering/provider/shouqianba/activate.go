package shouqianba

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/posbridge/posbridge/ordering/provider"
)

type terminalReply struct {
	TerminalSN  string `json:"terminal_sn"`
	TerminalKey string `json:"terminal_key"`
}

// ensureTerminal returns the working terminal: it activates one when there is
// none (or the configuration names another account or device), and checks in
// when the last check-in was before today in the restaurant's zone. A failed
// check-in over the network keeps the current key (it may still work); one
// refused by 收钱吧 re-activates when a new activation code is configured.
func (c *Client) ensureTerminal(ctx context.Context) (terminalState, error) {
	if err := c.acquire(ctx); err != nil {
		return terminalState{}, err
	}
	defer c.release()
	var st terminalState
	if c.st != nil {
		st = *c.st
	} else {
		loaded, err := c.file.load()
		if err != nil && !errors.Is(err, errNoState) {
			return terminalState{}, err
		}
		st = loaded
	}
	if st.TerminalSN == "" || st.VendorSN != c.cfg.VendorSN || st.AppID != c.cfg.AppID ||
		(c.cfg.DeviceID != "" && st.DeviceID != c.cfg.DeviceID) {
		return c.activateLocked(ctx, st)
	}
	if c.sameDay(st.CheckedInAt, c.now()) {
		c.st = &st
		return st, nil
	}
	next, err := c.checkinLocked(ctx, st)
	var e *Error
	switch {
	case err == nil:
		return next, nil
	case errors.As(err, &e) && e.Layer == "request" && !e.Retryable() &&
		c.cfg.ActivationCode != "" && hashCode(c.cfg.ActivationCode) != st.CodeHash:
		c.log.Warn("shouqianba check-in refused; activating with the new activation code", "error_code", e.Code)
		return c.activateLocked(ctx, st)
	case provider.IsTransport(err) || (errors.As(err, &e) && e.Retryable()):
		c.log.Warn("shouqianba check-in failed; using the current key until the next try", "err", err.Error())
		c.st = &st
		return st, nil
	default:
		return terminalState{}, fmt.Errorf("%w (if the PC or its device id changed, 收钱吧 needs a new activation code in sqb.activation_code)", err)
	}
}

func (c *Client) activateLocked(ctx context.Context, prev terminalState) (terminalState, error) {
	if c.cfg.ActivationCode == "" {
		return terminalState{}, ErrNotActivated
	}
	dev := c.deviceID(prev)
	body := map[string]string{"app_id": c.cfg.AppID, "code": c.cfg.ActivationCode, "device_id": dev, "name": "posbridge", "os_info": osInfo(), "sdk_version": "posbridge"}
	raw, err := c.post(ctx, "activate", "/terminal/activate", body, c.cfg.VendorSN, c.cfg.VendorKey)
	if err != nil {
		return terminalState{}, err
	}
	var r terminalReply
	if err := json.Unmarshal(raw, &r); err != nil || r.TerminalSN == "" || r.TerminalKey == "" {
		return terminalState{}, errors.New("shouqianba activate: reply without terminal_sn or terminal_key")
	}
	now := c.now()
	st := terminalState{
		VendorSN: c.cfg.VendorSN, AppID: c.cfg.AppID, DeviceID: dev, CodeHash: hashCode(c.cfg.ActivationCode),
		TerminalSN: r.TerminalSN, TerminalKey: r.TerminalKey, ActivatedAt: now, CheckedInAt: now,
	}
	if err := c.file.save(st); err != nil {
		// Activated at 收钱吧 but not kept: the code may be spent. Say so loudly.
		c.log.Error("shouqianba terminal activated but not saved", "terminal_sn", r.TerminalSN, "err", err.Error())
		return terminalState{}, fmt.Errorf("%w (terminal %s was activated; free the data folder and restart before the activation code runs out)", err, r.TerminalSN)
	}
	c.log.Info("shouqianba terminal activated", "terminal_sn", r.TerminalSN, "device_id", dev)
	c.st = &st
	return st, nil
}

func (c *Client) checkinLocked(ctx context.Context, st terminalState) (terminalState, error) {
	body := map[string]string{"terminal_sn": st.TerminalSN, "device_id": st.DeviceID, "os_info": osInfo(), "sdk_version": "posbridge"}
	raw, err := c.post(ctx, "checkin", "/terminal/checkin", body, st.TerminalSN, st.TerminalKey)
	if err != nil {
		return terminalState{}, err
	}
	var r terminalReply
	if err := json.Unmarshal(raw, &r); err != nil || r.TerminalKey == "" {
		return terminalState{}, errors.New("shouqianba checkin: reply without terminal_key")
	}
	next := st
	if r.TerminalSN != "" {
		next.TerminalSN = r.TerminalSN
	}
	if r.TerminalKey != st.TerminalKey {
		next.PreviousKey = st.TerminalKey
	}
	next.TerminalKey, next.CheckedInAt = r.TerminalKey, c.now()
	if err := c.file.save(next); err != nil {
		return terminalState{}, err
	}
	c.log.Info("shouqianba terminal checked in", "terminal_sn", next.TerminalSN)
	c.st = &next
	return next, nil
}
