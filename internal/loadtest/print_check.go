package loadtest

import (
	"bytes"
	"context"
	"fmt"

	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/printer"
	"github.com/posbridge/posbridge/store"
)

// copyOf is one print job as the printer would receive it: plain and with
// the 补打 mark.
type copyOf struct {
	job    *store.PrintJob
	plain  []byte
	marked []byte

	complete, completeMarked int // complete copies received
	partial                  int // connections cut off in the middle of it
}

// conn is one job-carrying connection of a fake printer.
type conn struct {
	printer string
	data    []byte
	dropped bool
	used    bool
}

// renderCopies renders every job's document both ways, as the worker would.
func renderCopies(cfg *config.Config, jobs []*store.PrintJob) (map[string][]*copyOf, error) {
	profiles := map[string]printer.Profile{}
	for _, pc := range cfg.Printers {
		p, err := printer.ProfileFromConfig(pc)
		if err != nil {
			return nil, err
		}
		profiles[pc.Name] = p
	}
	sandbox := cfg.Sandbox || cfg.Platform.Mode != config.ModeLive
	byOrder := map[string][]*copyOf{}
	for _, j := range jobs {
		prof, ok := profiles[j.Printer]
		if !ok {
			return nil, fmt.Errorf("print job %d is for printer %q, which the config does not have", j.ID, j.Printer)
		}
		doc, err := printer.UnmarshalDocument(j.Payload)
		if err != nil {
			return nil, fmt.Errorf("print job %d: %w", j.ID, err)
		}
		doc.Sandbox = doc.Sandbox || sandbox
		c := &copyOf{job: j}
		explicit := doc.Reprint // a staff reprint: only the marked copy exists
		doc.Reprint = true
		if c.marked, err = printer.Render(doc, prof); err != nil {
			return nil, fmt.Errorf("print job %d: %w", j.ID, err)
		}
		if !explicit {
			doc.Reprint = false
			if c.plain, err = printer.Render(doc, prof); err != nil {
				return nil, fmt.Errorf("print job %d: %w", j.ID, err)
			}
		}
		byOrder[j.OrderCode] = append(byOrder[j.OrderCode], c)
	}
	return byOrder, nil
}

// codesIn finds the known order codes in a connection's bytes (every document
// carries its order's code as text, QR or barcode data).
func codesIn(data []byte, known map[string][]*copyOf) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(data); {
		if data[i] < '0' || data[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(data) && data[j] >= '0' && data[j] <= '9' {
			j++
		}
		if code := string(data[i:j]); j-i >= 6 && known[code] != nil && !seen[code] {
			seen[code] = true
			out = append(out, code)
		}
		i = j
	}
	return out
}

// partialOf reports whether data holds the start of doc, cut off: after the
// status query that opens a connection, what arrived is a prefix of doc.
func partialOf(data, doc []byte) bool {
	if len(doc) < 8 {
		return false
	}
	at := bytes.Index(data, doc[:8])
	if at < 0 {
		return false
	}
	rest := data[at:]
	return len(rest) < len(doc) && bytes.HasPrefix(doc, rest)
}

func checkPrints(ctx context.Context, in CheckInput, res *CheckResult) error {
	jobs, err := in.DB.ListPrintJobs(ctx, store.PrintJobFilter{Limit: 1 << 30})
	if err != nil {
		return err
	}
	byOrder, err := renderCopies(in.Config, jobs)
	if err != nil {
		return err
	}
	var conns []*conn
	for _, name := range sortedKeys(in.Printers) {
		for _, c := range in.Printers[name].Conns() {
			if c.HasJob() {
				conns = append(conns, &conn{printer: name, data: c.Data(), dropped: c.Dropped()})
			}
		}
	}
	for _, cn := range conns {
		candidates := codesIn(cn.data, byOrder)
		for _, code := range candidates {
			for _, c := range byOrder[code] {
				plain := c.plain != nil && bytes.Contains(cn.data, c.plain)
				marked := bytes.Contains(cn.data, c.marked)
				switch {
				case cn.dropped && (plain || marked || partialOf(cn.data, c.marked) || c.plain != nil && partialOf(cn.data, c.plain)):
					// The printer cut the connection mid-job (the fake reads in
					// chunks, so the rest of the job may be in its buffer).
					c.partial++
				case plain:
					c.complete++
				case marked:
					c.completeMarked++
				default:
					continue
				}
				cn.used = true
			}
		}
		if !cn.used && !cn.dropped {
			res.problem("printer %s printed something that is no job of the database (%d bytes, orders %v)", cn.printer, len(cn.data), candidates)
		}
		if cn.dropped {
			res.PartialCopies++
		}
	}
	for _, code := range sortedKeys(byOrder) {
		for _, c := range byOrder[code] {
			checkCopies(c, res)
		}
	}
	return nil
}

// checkCopies applies invariant 3 to one job: printed exactly once; a job
// in flight at a crash or cut off mid-job printed once more, with 补打.
func checkCopies(c *copyOf, res *CheckResult) {
	j := c.job
	name := fmt.Sprintf("%s %s of %s on %s (job %d)", j.Doc, j.Title, j.OrderCode, j.Printer, j.ID)
	switch j.State {
	case store.JobDone:
	case store.JobDropped:
		if c.complete+c.completeMarked > 0 {
			res.problem("%s was dropped but printed %d times", name, c.complete+c.completeMarked)
		}
		return
	default:
		res.problem("%s is %s, not printed (%s)", name, j.State, j.LastError)
		return
	}
	res.Jobs++
	switch {
	case !j.Reprint && c.complete == 1 && c.completeMarked == 0 && c.partial == 0:
	case j.Reprint && c.completeMarked == 1 && c.complete <= 1:
		res.Reprints++
	case c.complete+c.completeMarked == 0:
		res.problem("%s is done but never reached the printer whole", name)
	case !j.Reprint && c.partial > 0:
		res.problem("%s was cut off mid-job %d times but not printed again with 补打", name, c.partial)
	default:
		res.problem("%s printed %d times plain and %d times with 补打 (reprint flag %v)", name, c.complete, c.completeMarked, j.Reprint)
	}
}
