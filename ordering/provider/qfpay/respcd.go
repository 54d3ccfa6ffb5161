package qfpay

// Class is what a respcd means for us.
type Class int

const (
	// Success: 0000.
	Success Class = iota
	// Pending: the payer is still paying (1143, 1145): query again.
	Pending
	// Retry: no verdict now (maintenance, system busy, duplicate request,
	// slow network): query, then retry later with the same numbers.
	Retry
	// Failed: a final no for this transaction.
	Failed
	// Misconfigured: our request or account is wrong (signature, parameters,
	// device, store): an installer must act; retrying changes nothing.
	Misconfigured
)

func (c Class) String() string {
	return [...]string{"success", "pending", "retry", "failed", "misconfigured"}[c]
}

var classes = map[string]Class{
	"0000": Success,
	"1143": Pending, "1145": Pending,
	"1100": Retry, "1101": Retry, "1102": Retry, "1252": Retry, "1254": Retry,
	"1260": Retry, "1261": Retry, "1262": Retry, "1265": Retry, "1269": Retry,
	"1295": Retry, "1296": Retry, "1297": Retry, "1298": Retry, "2011": Retry,
	"1103": Misconfigured, "1104": Misconfigured, "1105": Misconfigured, "1106": Misconfigured,
	"1107": Misconfigured, "1108": Misconfigured, "1241": Misconfigured, "1242": Misconfigured,
	"1243": Misconfigured, "1251": Misconfigured,
}

// Classify maps a respcd to its class; codes not in the documents' list
// are Failed (the FAQ: "others failed").
func Classify(respcd string) Class {
	if c, ok := classes[respcd]; ok {
		return c
	}
	return Failed
}

var descriptions = map[string]string{
	"0000": "success",
	"1100": "system maintenance",
	"1101": "reversal error",
	"1102": "duplicate request",
	"1103": "request format error",
	"1104": "request parameter error",
	"1105": "device not activated",
	"1106": "invalid device",
	"1107": "device not allowed",
	"1108": "signature error: check qf.client_key and qf.app_code",
	"1125": "already refunded",
	"1136": "transaction does not exist or cannot be operated",
	"1142": "order closed",
	"1143": "not paid yet: the payer is entering the password",
	"1145": "processing, please wait",
	"1147": "WeChat Pay transaction error",
	"1150": "T0 settlement: cancel not supported",
	"1155": "refund refused",
	"1181": "order expired",
	"1201": "insufficient balance",
	"1203": "merchant account error",
	"1204": "bank error",
	"1205": "transaction failed, try later",
	"1241": "store does not exist: check qf.mchid",
	"1242": "store misconfigured",
	"1243": "store disabled",
	"1250": "transaction forbidden",
	"1251": "store misconfigured",
	"1252": "system error",
	"1254": "system error",
	"1260": "already paid",
	"1261": "not paid",
	"1262": "already refunded",
	"1263": "order cancelled",
	"1264": "order closed",
	"1265": "no refunds between 23:30 and 00:30",
	"1266": "amount wrong",
	"1267": "order information mismatch",
	"1268": "order missing",
	"1269": "today's unsettled takings are less than the refund",
	"1270": "no partial refunds for this currency",
	"1271": "no partial refunds for this transaction",
	"1272": "more than the refundable amount",
	"1294": "prohibited by the bank",
	"1295": "slow network",
	"1296": "bank busy",
	"1297": "bank busy",
	"1298": "do not pay twice, check later",
	"2011": "transaction serial number repeats",
}

// Describe is a short English text for a respcd ("" when not documented).
func Describe(respcd string) string { return descriptions[respcd] }
