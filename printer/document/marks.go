package document

import "fmt"

// MarkedBlocks returns the blocks with the 补打 and 测试 marks added; the
// document's own slice when there is nothing to add.
func (d Document) MarkedBlocks() []Block {
	if !d.Reprint && !d.Sandbox {
		return d.Blocks
	}
	if d.Media == MediaLabel {
		mark := ""
		switch {
		case d.Reprint && d.Sandbox:
			mark = "补打 测试"
		case d.Reprint:
			mark = "补打"
		default:
			mark = "测试"
		}
		head := Text(mark, Style{Invert: true, Bold: true})
		var out []Block
		for _, l := range d.Labels() {
			out = append(out, head)
			out = append(out, l...)
			out = append(out, Cut())
		}
		return out
	}
	var head, tail []Block
	if d.Reprint {
		head = append(head,
			Text("补打", Style{Width: 2, Height: 2, Bold: true, Invert: true, Align: AlignCenter}),
			Text("此单为补打，请核对后再制作", Style{Align: AlignCenter}))
	}
	if d.Sandbox {
		sandbox := Text("测试单 非真实订单 请勿制作", Style{Bold: true, Invert: true, Align: AlignCenter})
		head = append(head, sandbox)
		tail = append(tail, sandbox)
	}
	out := make([]Block, 0, len(d.Blocks)+len(head)+len(tail))
	out = append(out, head...)
	if len(tail) == 0 {
		return append(out, d.Blocks...)
	}
	// the tail mark goes before the final cut
	last := len(d.Blocks)
	for last > 0 && d.Blocks[last-1].Type == BlockCut {
		last--
	}
	out = append(out, d.Blocks[:last]...)
	out = append(out, tail...)
	return append(out, d.Blocks[last:]...)
}

// CheckRenderable is what both encoders require before they lay d out for p:
// a valid document and a profile built by ProfileFromConfig.
func CheckRenderable(d Document, p Profile) error {
	if err := d.Validate(); err != nil {
		return err
	}
	if p.Charset == nil {
		return fmt.Errorf("printer %q has no charset: build its profile with ProfileFromConfig", p.Name)
	}
	return nil
}
