package console

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/printer"
)

// Fleet is the part of the printer fleet the console shows and drives.
type Fleet interface {
	Status() []printer.PrinterStatus
	TestPrint(ctx context.Context, name string) (int64, error)
	Wake(name string)
}

// printerView is a printer with its queue.
type printerView struct {
	printer.PrinterStatus
	Queued  int `json:"queued"`
	Sending int `json:"sending"`
	Held    int `json:"held"`
	Failed  int `json:"failed"`
}

func (s *Server) listPrinters(w http.ResponseWriter, r *http.Request) {
	counts, err := s.Bridge.PrintQueueCounts(r.Context())
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	out := []printerView{}
	if s.Fleet != nil {
		for _, st := range s.Fleet.Status() {
			c := counts[st.Name]
			st.CheckedAt, st.LastPrinted = bridge.APITime(st.CheckedAt), bridge.APITime(st.LastPrinted)
			out = append(out, printerView{PrinterStatus: st, Queued: c[bridge.JobQueued], Sending: c[bridge.JobSending],
				Held: c[bridge.JobHeld], Failed: c[bridge.JobFailed]})
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"printers": out})
}

func (s *Server) testPrint(w http.ResponseWriter, r *http.Request) {
	if s.Fleet == nil {
		writeError(w, http.StatusNotFound, "没有配置打印机")
		return
	}
	id, err := s.Fleet.TestPrint(r.Context(), r.PathValue("name"))
	if err != nil {
		writeError(w, http.StatusNotFound, err.Error())
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]any{"job_id": id, "printer": r.PathValue("name")})
}

func (s *Server) listJobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := bridge.PrintJobFilter{Printer: q.Get("printer"), OrderCode: q.Get("order"), Limit: 200}
	states, err := stateList(q.Get("state"), jobStates)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	f.States = states
	jobs, err := s.Bridge.PrintJobs(r.Context(), f)
	if err != nil {
		writeError(w, http.StatusInternalServerError, err.Error())
		return
	}
	type jobView struct {
		ID        int64     `json:"id"`
		Printer   string    `json:"printer"`
		Original  string    `json:"original_printer,omitempty"`
		OrderCode string    `json:"order_code,omitempty"`
		Doc       string    `json:"doc"`
		Title     string    `json:"title,omitempty"`
		State     string    `json:"state"`
		Reprint   bool      `json:"reprint,omitempty"`
		Attempts  int       `json:"attempts"`
		LastError string    `json:"last_error,omitempty"`
		CreatedAt time.Time `json:"created_at"`
	}
	out := make([]jobView, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, jobView{ID: j.ID, Printer: j.Printer, Original: j.OriginalPrinter, OrderCode: j.OrderCode, Doc: j.Doc,
			Title: j.Title, State: j.State, Reprint: j.Reprint, Attempts: j.Attempts, LastError: j.LastError,
			CreatedAt: bridge.APITime(j.CreatedAt)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"jobs": out})
}

// jobFound answers a job lookup's error (404, 500) and reports whether the
// job was read.
func jobFound(w http.ResponseWriter, err error) bool {
	switch {
	case bridge.ErrorCode(err) == bridge.ENotFound:
		writeError(w, http.StatusNotFound, "没有这个打印任务")
	case err != nil:
		writeError(w, http.StatusInternalServerError, err.Error())
	default:
		return true
	}
	return false
}

// getJob is one print job's state: `posbridge print test` waits on it.
func (s *Server) getJob(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	j, err := s.Bridge.PrintJob(r.Context(), id)
	if !jobFound(w, err) {
		return
	}
	out := map[string]any{"id": j.ID, "printer": j.Printer, "order_code": j.OrderCode, "doc": j.Doc,
		"state": j.State, "reprint": j.Reprint, "attempts": j.Attempts, "last_error": j.LastError,
		"hint": printer.Explain(j.LastError), "created_at": bridge.APITime(j.CreatedAt)}
	if !j.DoneAt.IsZero() {
		out["done_at"] = bridge.APITime(j.DoneAt)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) jobPreview(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(w, r)
	if !ok {
		return
	}
	p, j, err := s.Bridge.JobPreview(r.Context(), id)
	if !jobFound(w, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"id": j.ID, "printer": j.Printer, "doc": j.Doc, "state": j.State,
		"reprint": j.Reprint, "bytes": len(j.Bytes), "text": p.Text(), "preview": p})
}

// jobDecision releases (print it) or drops a held or failed job.
func (s *Server) jobDecision(release bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			writeError(w, http.StatusBadRequest, "id 须为数字")
			return
		}
		if err := s.Bridge.DecideJob(r.Context(), id, release, actorOf(r)); err != nil {
			writeBridgeError(w, err)
			return
		}
		writeJSON(w, http.StatusAccepted, map[string]any{"id": id, "released": release})
	}
}
