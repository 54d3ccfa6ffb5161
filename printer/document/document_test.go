package document

import (
	"reflect"
	"strings"
	"testing"
)

func TestDocumentJSONRoundTrip(t *testing.T) {
	logo := NewRaster(10, 2)
	logo.Set(3, 1)
	d := Document{Kind: KindReceipt, OrderCode: "123", Copies: 2, Blocks: []Block{
		Text("小票", Style{Width: 2, Height: 2, Bold: true, Align: AlignCenter}),
		Row("珍珠奶茶", "￥12.50", Style{}),
		Separator("="), QR("https://example.com/o/123"), Barcode("123"),
		Image(logo, AlignCenter), Feed(2), Beep(3), Drawer(), Cut(),
	}}
	b, err := d.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalDocument(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, d) {
		t.Fatalf("round trip changed the document:\n%+v\n%+v", got, d)
	}
	if !got.Blocks[5].Image.At(3, 1) || got.Blocks[5].Image.At(2, 1) {
		t.Fatal("image bits lost")
	}
}

func TestUnmarshalDocumentRejectsBadInput(t *testing.T) {
	for in, want := range map[string]string{
		`{"kind":`:                         "not valid JSON",
		`{"blocks":[{"type":"hologram"}]}`: "unknown type",
		`{"blocks":[{"type":"qr"}]}`:       "no data",
		`{"media":"vinyl","blocks":[]}`:    "unknown media",
		`{"blocks":[{"type":"image"}]}`:    "no image",
		`{"blocks":[{"type":"image","image":{"width":8,"height":2,"bits":"AA=="}}]}`: "bytes of bits",
	} {
		_, err := UnmarshalDocument([]byte(in))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want %q", in, err, want)
		}
	}
}

func TestLabelsSplitAtCut(t *testing.T) {
	d := Document{Media: MediaLabel, Blocks: []Block{Text("a", Style{}), Cut(), Text("b", Style{}), Cut()}}
	if l := d.Labels(); len(l) != 2 || l[1][0].Text != "b" {
		t.Fatalf("labels = %+v", l)
	}
}
