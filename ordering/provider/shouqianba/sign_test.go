package shouqianba

import (
	"net/url"
	"testing"
)

// Vectors computed for the providers digest from the documents' examples.
func TestSignVectors(t *testing.T) {
	body := []byte(`{"terminal_sn":"10298371039","client_sn":"7654321132"}`)
	if got := Authorization("10298371039", body, "68d499beda5f72116592f5c527465656"); got != "10298371039 7d9a553efc8fb361f115b071a7fe726d" {
		t.Fatalf("Authorization %q", got)
	}
	p := url.Values{"client_sn": {"abc"}, "terminal_sn": {"123"}, "total_amount": {"1"}, "sign": {"x"}, "reflect": {""}}
	if got := SignWAP(p, "19b820737ace6937a7808c"); got != "FEF7DA867F4F1F2AF2AE847D3CDFBADC" {
		t.Fatalf("WAP sign %s", got)
	}
	// The PHP sample of the WAP document.
	php := url.Values{"client_sn": {"test"}, "operator": {"TEST"}, "return_url": {"test"}, "subject": {"TEST"}, "terminal_sn": {"test"}, "total_amount": {"3"}}
	if got := SignWAP(php, "test"); got != "D5AFC533FFD5EE8DA62A96661D636FF7" {
		t.Fatalf("PHP sample sign %s", got)
	}
}
