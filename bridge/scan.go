package bridge

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/store"
)

// Scan applies a scan of an order barcode, whatever the input (serial
// scanner, console box, the console API, CLI): the first scan of an accepted order marks
// it made (31), the second scan of a made dine-in/pickup order completes it
// (5). The same code read twice within scanner.double_scan_window counts once.
func (b *Bridge) Scan(ctx context.Context, raw, source string) ScanResult {
	code := normalizeScan(raw)
	if code == "" {
		return ScanResult{Outcome: EInvalid, Error: "条码为空"}
	}
	rec, candidates, err := b.lookupCode(ctx, code)
	if errors.Is(err, store.ErrNotFound) {
		res := ScanResult{Outcome: ENotFound, Error: "未找到该订单：" + code}
		b.publishScan(code, res, source)
		return res
	}
	if err != nil {
		return ScanResult{Outcome: EInternal, Error: "读取订单失败：" + err.Error()}
	}
	if len(candidates) > 0 {
		res := ScanResult{Outcome: EConflict, Pickup: code, Candidates: candidates,
			Error: "取餐号 " + code + " 有 " + strconv.Itoa(len(candidates)) + " 笔订单，请选择一笔"}
		b.publishScan(code, res, source)
		return res
	}
	code = rec.Code
	if b.repeatedRead(code) {
		res := ScanResult{Code: code, Action: "duplicate_read", Status: rec.Status, Outcome: ScanRepeated, Pickup: rec.PickupNo,
			Message: "重复扫码，已忽略"}
		return res
	}
	act, refusal := scanStep(rec.State())
	if refusal != nil {
		refusal.Pickup = rec.PickupNo
		b.publishScan(code, *refusal, source)
		return *refusal
	}
	res, err := b.Do(ctx, ActionRequest{Action: act, Code: code, Actor: "scanner"})
	var se *StateError
	switch {
	case errors.As(err, &se):
		out := ScanResult{Code: code, Status: se.Status, Outcome: EConflict, Error: se.Message, Pickup: rec.PickupNo}
		b.publishScan(code, out, source)
		return out
	case err != nil:
		return ScanResult{Code: code, Outcome: EInternal, Error: "处理失败：" + err.Error()}
	}
	out := ScanResult{Code: code, Status: res.Status, Outcome: ScanTaken, Pickup: rec.PickupNo}
	switch {
	case act == ActMade && rec.Type.IsDelivery():
		// A courier takes it, not the customer: the next scan asks for the courier.
		out.Action, out.Message = "made", pickupLabel(rec)+" 制作完成，等待配送"
	case act == ActMade:
		out.Action, out.Message = "made", pickupLabel(rec)+" 制作完成，已通知顾客取餐"
	default:
		out.Action, out.Message = "completed", pickupLabel(rec)+" 已取餐，订单完成"
	}
	b.publishScan(code, out, source)
	return out
}

// repeatedRead reports whether code was read within the double-scan window
// of the read that counted. Only a read that counts starts a window: were
// duplicates to restart it, a cashier rescanning every 2 s would never get
// past the first step.
func (b *Bridge) repeatedRead(code string) bool {
	window := b.cfg.Scanner.DoubleScanWindow
	if window <= 0 {
		window = 3 * time.Second
	}
	now := b.now()
	b.scanMu.Lock()
	defer b.scanMu.Unlock()
	last, seen := b.lastScans[code]
	d := now.Sub(last)
	if seen && d >= 0 && d < window {
		return true
	}
	b.lastScans[code] = now
	if len(b.lastScans) > 1000 {
		for c, t := range b.lastScans {
			if d := now.Sub(t); d > window || d < 0 {
				delete(b.lastScans, c)
			}
		}
	}
	return false
}

func (b *Bridge) publishScan(code string, res ScanResult, source string) {
	level := LevelInfo
	if res.Error != "" {
		level = LevelWarn
	}
	msg := res.Message
	if msg == "" {
		msg = res.Error
	}
	b.bus.Publish(Event{Type: EvScan, Code: code, Status: string(res.Status), Kind: source, Level: level, Message: msg, Data: res})
}

// normalizeScan trims what scanners add around a code (CR/LF, spaces, a
// Code128 set prefix some keyboard wedges pass through).
func normalizeScan(raw string) string {
	s := strings.TrimSpace(raw)
	s = strings.TrimPrefix(s, "]C0") // AIM symbology identifier for Code128
	s = strings.TrimPrefix(s, "]Q1")
	return strings.TrimSpace(s)
}
