package kaigedian

import (
	"strconv"
	"strings"
	"time"

	"github.com/posbridge/posbridge/internal/textutil"
)

// Shanghai is the platform's time zone (Asia/Shanghai has had no DST since
// 1991, so a fixed +08:00 zone needs no tz database on a shop PC).
var Shanghai = time.FixedZone("CST", 8*60*60)

// wall-clock layouts seen in the documents, all in Shanghai time.
var timeLayouts = []string{
	"2006-01-02 15:04:05",     // documented
	"2006-01-0215:04:05",      // distribution examples (§7 #8)
	"2006-01-02 15:04:05.000", // tolerated
	"2006-01-02T15:04:05",
	"2006/01/02 15:04:05",
	"2006-01-02 15:04",
}

// ParseTime reads a platform time field: "yyyy-MM-dd HH:mm:ss" (Asia/Shanghai),
// "yyyy-MM-ddHH:mm:ss" without the space, 10-digit epoch seconds or 13-digit
// epoch milliseconds, or RFC 3339. ok is false for "" and for anything else
// (the documents also show junk such as "12545445"); callers keep the raw text.
func ParseTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if textutil.Digits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return time.Time{}, false
		}
		switch len(s) {
		case 13:
			return time.UnixMilli(n).In(Shanghai), true
		case 10:
			return time.Unix(n, 0).In(Shanghai), true
		}
		return time.Time{}, false
	}
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t, true
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(Shanghai), true
	}
	return time.Time{}, false
}

// EpochTime converts a numeric platform timestamp (a cursor or timeStamp).
// Values below 10^11 are epoch seconds: the platform used seconds until
// 2019-05 (§7 #9). 0 is the zero time.
func EpochTime(n int64) time.Time {
	switch {
	case n <= 0:
		return time.Time{}
	case n < 1e11:
		return time.Unix(n, 0).In(Shanghai)
	}
	return time.UnixMilli(n).In(Shanghai)
}

// FormatTime renders t the documented way, "yyyy-MM-dd HH:mm:ss" in Shanghai time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04:05")
}

// StartOfDay is 00:00:00.000 Shanghai time on t's Shanghai calendar day.
func StartOfDay(t time.Time) time.Time {
	y, m, d := t.In(Shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Shanghai)
}
