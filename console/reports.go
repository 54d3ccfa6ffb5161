package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/report"
)

// routeReports serves the 日结 and 交班 figures: JSON for the console's
// report screen, CSV for the accountant, slips for the receipt printer.
func (s *Server) routeReports(mux router) {
	mux.HandleFunc("GET /api/reports/day", s.dayReport)
	mux.HandleFunc("GET /api/reports/day.csv", s.dayReportCSV)
	mux.HandleFunc("POST /api/reports/day/print", s.printDayReport)
	mux.HandleFunc("GET /api/reports/shift", s.currentShift)
	mux.HandleFunc("POST /api/reports/shift/handover", s.handOver)
	mux.HandleFunc("GET /api/reports/shifts", s.listShifts)
	mux.HandleFunc("POST /api/reports/shifts/{id}/print", s.printShift)
}

// reportStore is the ?store= of a report request; it must be a configured
// store (or empty: all of them).
func (s *Server) reportStore(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.URL.Query().Get("store")
	if id == "" {
		return "", true
	}
	for _, st := range s.Config.Stores {
		if st.ID == id {
			return id, true
		}
	}
	writeError(w, http.StatusBadRequest, "没有这个门店："+id)
	return "", false
}

func (s *Server) dayReportOf(w http.ResponseWriter, r *http.Request) (report.Report, bool) {
	storeID, ok := s.reportStore(w, r)
	if !ok {
		return report.Report{}, false
	}
	rep, err := s.Bridge.DayReport(r.Context(), r.URL.Query().Get("date"), storeID)
	if err != nil {
		status := http.StatusInternalServerError
		if strings.Contains(err.Error(), "YYYY-MM-DD") {
			status = http.StatusBadRequest
		}
		writeError(w, status, err.Error())
		return report.Report{}, false
	}
	return rep, true
}

func (s *Server) dayReport(w http.ResponseWriter, r *http.Request) {
	if rep, ok := s.dayReportOf(w, r); ok {
		writeJSON(w, http.StatusOK, rep)
	}
}

func (s *Server) dayReportCSV(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.dayReportOf(w, r)
	if !ok {
		return
	}
	name := "日结-" + rep.Day
	if rep.StoreID != "" {
		name += "-" + rep.StoreID
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="daily-%s.csv"; filename*=UTF-8''%s.csv`, rep.Day, url.PathEscape(name)))
	w.Header().Set("Cache-Control", "no-store")
	if err := report.WriteCSV(w, rep); err != nil {
		s.log().Warn("write CSV report", "err", err)
	}
}

// jobQueue is the fleet's queue, for slips that are no order's.
type jobQueue interface {
	Enqueue(ctx context.Context, j printer.Job) (int64, bool, error)
}

// printSlip queues a report slip on ?printer= or the first receipt printer.
func (s *Server) printSlip(ctx context.Context, name string, doc printer.Document, title string) (int64, string, error) {
	q, ok := s.Fleet.(jobQueue)
	if s.Fleet == nil || !ok {
		return 0, "", errors.New("没有配置打印机")
	}
	if name == "" {
		for _, st := range s.Fleet.Status() {
			if st.Role == printer.RoleReceipt {
				name = st.Name
				break
			}
		}
	}
	if name == "" {
		return 0, "", errors.New("没有前台小票打印机：请在 printers 中配置 role: receipt 的打印机，或指定 printer")
	}
	doc.Sandbox = s.Config.Sandbox || s.Config.Platform.Mode != config.ModeLive
	id, _, err := q.Enqueue(ctx, printer.Job{Printer: name, Doc: doc, Title: title})
	return id, name, err
}

func (s *Server) printDayReport(w http.ResponseWriter, r *http.Request) {
	rep, ok := s.dayReportOf(w, r)
	if !ok {
		return
	}
	id, name, err := s.printSlip(r.Context(), r.URL.Query().Get("printer"), report.Slip(rep, false), report.Title(rep))
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job_id": id, "printer": name})
}

func (s *Server) currentShift(w http.ResponseWriter, r *http.Request) {
	storeID, ok := s.reportStore(w, r)
	if !ok {
		return
	}
	rep, err := s.Bridge.CurrentShift(r.Context(), storeID, staffName(r))
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, rep)
}

// staffName is the name the page sends in X-Staff-Name ("" when none).
func staffName(r *http.Request) string {
	return strings.TrimPrefix(strings.TrimPrefix(actorOf(r), "staff"), ":")
}

func (s *Server) handOver(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Store   string `json:"store"`
		Print   bool   `json:"print"`
		Printer string `json:"printer"`
	}
	if err := readJSON(r, &body); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	if body.Store != "" {
		q := r.URL.Query()
		q.Set("store", body.Store)
		r.URL.RawQuery = q.Encode()
	}
	storeID, ok := s.reportStore(w, r)
	if !ok {
		return
	}
	rep, id, err := s.Bridge.HandOver(r.Context(), storeID, staffName(r))
	switch {
	case errors.Is(err, bridge.ErrShiftHandedOver):
		writeError(w, http.StatusConflict, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	s.log().Info("shift handed over", "shift", id, "store", storeID, "staff", rep.Staff, "orders", rep.Totals.Orders)
	out := map[string]any{"shift_id": id, "report": rep}
	if body.Print {
		job, name, err := s.printSlip(r.Context(), body.Printer, report.Slip(rep, false), report.Title(rep))
		if err != nil {
			out["print_error"] = err.Error()
		} else {
			out["job_id"], out["printer"] = job, name
		}
	}
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) listShifts(w http.ResponseWriter, r *http.Request) {
	storeID, ok := s.reportStore(w, r)
	if !ok {
		return
	}
	shifts, err := s.Bridge.Shifts(r.Context(), storeID, 50)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	if shifts == nil {
		shifts = []bridge.HandedOver{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"shifts": viewOfShifts(shifts)})
}

// printShift prints a past hand-over's slip again from the figures kept then.
func (s *Server) printShift(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	sh, err := s.Bridge.Shift(r.Context(), id)
	switch {
	case errors.Is(err, bridge.ErrNoShift):
		writeError(w, http.StatusNotFound, err.Error())
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	rep := sh.Report
	job, name, err := s.printSlip(r.Context(), r.URL.Query().Get("printer"), report.Slip(rep, false), report.Title(rep))
	if err != nil {
		writeError(w, http.StatusConflict, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job_id": job, "printer": name})
}
