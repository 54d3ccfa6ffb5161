package channel

import (
	"encoding/json"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/kaigedian"
)

var _ bridge.Submissions = (*Channel)(nil)

// DecodeSubmission reads an offline order in /order/submit's terms.
func (c *Channel) DecodeSubmission(raw []byte) (bridge.Submission, []bridge.FieldProblem) {
	req, problems := kaigedian.DecodeSubmitRequest(raw)
	if len(problems) > 0 {
		out := make([]bridge.FieldProblem, len(problems))
		for i, p := range problems {
			out[i] = bridge.FieldProblem{Field: p.Field, Problem: p.Problem}
		}
		return bridge.Submission{}, out
	}
	canonical, err := json.Marshal(req)
	if err != nil {
		return bridge.Submission{}, []bridge.FieldProblem{{Field: "body", Problem: err.Error()}}
	}
	return bridge.Submission{StoreID: req.StoreID, ThirdCode: req.ThirdOrderCode, Canonical: canonical}, nil
}

// StampSubmission sets the order's thirdOrderCode (what a retry after a
// lost reply looks it up by).
func (c *Channel) StampSubmission(canonical []byte, thirdCode string) ([]byte, error) {
	var req kaigedian.SubmitRequest
	if err := json.Unmarshal(canonical, &req); err != nil {
		return nil, err
	}
	req.ThirdOrderCode = thirdCode
	return json.Marshal(req)
}
