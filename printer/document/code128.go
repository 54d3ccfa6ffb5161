package document

// Code128 for `GS k` m=73: the data starts with a code-set selector and, in set
// C, every byte is a digit pair as a binary value 0–99. Numeric order codes go
// in set C: half the width of set B, so an 18-digit code fits 80 mm paper at a
// module width scanners read.

const (
	Code128QuietModules = 10 // each side
	minScanModuleDots   = 2  // 0.25 mm at 203 dpi: the narrowest bar scanners read reliably
	maxModuleDots       = 3
)

// Code128Payload appends the GS k data (selectors included) for s and returns
// the symbol width in modules with quiet zones. ok is false when s holds
// characters outside ASCII 32–126 or the payload exceeds 255 bytes.
func Code128Payload(dst []byte, s string) (out []byte, modules int, ok bool) {
	if len(s) == 0 {
		return dst, 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 32 || s[i] > 126 {
			return dst, 0, false
		}
	}
	start := len(dst)
	symbols := 2 // start + check
	set := byte(0)
	n := len(s)
	switchTo := func(to byte) {
		if set == to {
			return
		}
		dst = append(dst, '{', to)
		if set != 0 {
			symbols++ // a code-set switch inside the symbol
		}
		set = to
	}
	for i := 0; i < n; {
		j := i
		for j < n && isDigit(s[j]) {
			j++
		}
		run := j - i
		need := 6 // a switch into C and back costs two symbols
		switch {
		case i == 0 && j == n:
			need = 2
		case i == 0 || j == n:
			need = 4
		}
		if run >= need {
			switchTo('C')
			even := run - run%2
			for k := i; k < i+even; k += 2 {
				dst = append(dst, (s[k]-'0')*10+(s[k+1]-'0'))
				symbols++
			}
			i += even // an odd last digit goes on in set B
			continue
		}
		end := j
		if run == 0 {
			end = i + 1
		}
		switchTo('B')
		for ; i < end; i++ {
			if s[i] == '{' {
				dst = append(dst, '{', '{')
			} else {
				dst = append(dst, s[i])
			}
			symbols++
		}
	}
	if len(dst)-start > 255 {
		return dst[:start], 0, false
	}
	modules = symbols*11 + 13 + 2*Code128QuietModules // the stop pattern is 13 modules
	return dst, modules, true
}

// Code128ModuleDots picks the module width for a symbol of the given modules
// on a line of dots: up to 3, at least 2; 0 when it cannot fit.
func Code128ModuleDots(modules, dots int) int {
	if modules <= 0 {
		return 0
	}
	w := min(maxModuleDots, dots/modules)
	if w < minScanModuleDots {
		return 0
	}
	return w
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// DecodeCode128Payload turns GS k m=73 data back into text (virtual printer).
func DecodeCode128Payload(d []byte) string {
	var out []byte
	set := byte('B')
	for i := 0; i < len(d); i++ {
		c := d[i]
		if c == '{' && i+1 < len(d) {
			i++
			switch d[i] {
			case 'A', 'B', 'C':
				set = d[i]
			case '{':
				out = append(out, '{')
			}
			continue
		}
		if set == 'C' {
			out = append(out, '0'+c/10%10, '0'+c%10)
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
