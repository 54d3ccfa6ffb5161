package document

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // logo files may be GIF
	_ "image/jpeg"
	_ "image/png"
	"os"
)

// Raster is a 1-bit image as ESC/POS `GS v 0` wants it: rows of
// (Width+7)/8 bytes, most significant bit = leftmost dot, 1 = black.
type Raster struct {
	Width  int    `json:"width"`
	Height int    `json:"height"`
	Bits   []byte `json:"bits"` // base64 in JSON
}

// MaxRasterDots bounds images so a corrupt job row cannot allocate gigabytes.
const MaxRasterDots = 4096

// NewRaster is a white raster of w×h dots.
func NewRaster(w, h int) *Raster {
	return &Raster{Width: w, Height: h, Bits: make([]byte, ((w+7)/8)*h)}
}

// Stride is the number of bytes per row.
func (r *Raster) Stride() int { return (r.Width + 7) / 8 }

// Set blackens the dot at x, y (out of range is ignored).
func (r *Raster) Set(x, y int) {
	if x < 0 || y < 0 || x >= r.Width || y >= r.Height {
		return
	}
	r.Bits[y*r.Stride()+x/8] |= 0x80 >> uint(x%8)
}

// At reports whether the dot at x, y is black.
func (r *Raster) At(x, y int) bool {
	if x < 0 || y < 0 || x >= r.Width || y >= r.Height {
		return false
	}
	return r.Bits[y*r.Stride()+x/8]&(0x80>>uint(x%8)) != 0
}

// Validate checks the dimensions against the bits.
func (r *Raster) Validate() error {
	if r == nil {
		return errors.New("image block has no image")
	}
	if r.Width <= 0 || r.Height <= 0 || r.Width > MaxRasterDots || r.Height > MaxRasterDots {
		return fmt.Errorf("image is %d×%d dots; it must be 1–%d on each side", r.Width, r.Height, MaxRasterDots)
	}
	if len(r.Bits) != r.Stride()*r.Height {
		return fmt.Errorf("image has %d bytes of bits, want %d for %d×%d", len(r.Bits), r.Stride()*r.Height, r.Width, r.Height)
	}
	return nil
}

// Image is the raster as a Go image (black and white), e.g. to write a PNG.
func (r *Raster) Image() *image.Gray {
	img := image.NewGray(image.Rect(0, 0, r.Width, r.Height))
	for y := 0; y < r.Height; y++ {
		for x := 0; x < r.Width; x++ {
			c := uint8(255)
			if r.At(x, y) {
				c = 0
			}
			img.Pix[y*img.Stride+x] = c
		}
	}
	return img
}

// ScaledTo returns the raster shrunk (nearest neighbour) to at most maxW dots
// wide, keeping the aspect ratio; r itself when it already fits.
func (r *Raster) ScaledTo(maxW int) *Raster {
	if r.Width <= maxW || maxW <= 0 {
		return r
	}
	h := max(1, r.Height*maxW/r.Width)
	out := NewRaster(maxW, h)
	for y := 0; y < h; y++ {
		sy := y * r.Height / h
		for x := 0; x < maxW; x++ {
			if r.At(x*r.Width/maxW, sy) {
				out.Set(x, y)
			}
		}
	}
	return out
}

// Padded returns the raster placed in a white canvas of width w at offset x,
// used to centre raster QR codes and barcodes without relying on ESC a, which
// clones apply inconsistently to `GS v 0`.
func (r *Raster) Padded(w, x int) *Raster {
	if w <= r.Width {
		return r
	}
	x = max(0, min(x, w-r.Width))
	out := NewRaster(w, r.Height)
	for y := 0; y < r.Height; y++ {
		for sx := 0; sx < r.Width; sx++ {
			if r.At(sx, y) {
				out.Set(x+sx, y)
			}
		}
	}
	return out
}

// RasterFromImage converts an image to 1-bit with Floyd–Steinberg dithering
// (logos are often anti-aliased), scaled down to at most maxW dots wide.
// Transparent pixels are white.
func RasterFromImage(img image.Image, maxW int) *Raster {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w == 0 || h == 0 {
		return NewRaster(1, 1)
	}
	tw, th := w, h
	if maxW > 0 && w > maxW {
		tw, th = maxW, max(1, h*maxW/w)
	}
	lum := make([]float32, tw*th)
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			c := color.NRGBAModel.Convert(img.At(b.Min.X+x*w/tw, b.Min.Y+y*h/th)).(color.NRGBA)
			l := (0.299*float32(c.R) + 0.587*float32(c.G) + 0.114*float32(c.B))
			a := float32(c.A) / 255
			lum[y*tw+x] = l*a + 255*(1-a)
		}
	}
	out := NewRaster(tw, th)
	for y := 0; y < th; y++ {
		for x := 0; x < tw; x++ {
			old := lum[y*tw+x]
			nw := float32(255)
			if old < 128 {
				nw = 0
				out.Set(x, y)
			}
			e := old - nw
			spread := func(dx, dy int, f float32) {
				nx, ny := x+dx, y+dy
				if nx >= 0 && nx < tw && ny < th {
					lum[ny*tw+nx] += e * f
				}
			}
			spread(1, 0, 7.0/16)
			spread(-1, 1, 3.0/16)
			spread(0, 1, 5.0/16)
			spread(1, 1, 1.0/16)
		}
	}
	return out
}

// LoadImage reads a PNG, JPEG or GIF file (the logo in `print.logo`) as a
// raster at most maxW dots wide (384 fits 58 mm paper, 576 fits 80 mm).
func LoadImage(path string, maxW int) (*Raster, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open logo image: %w", err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return nil, fmt.Errorf("logo %s is not a PNG, JPEG or GIF image: %w", path, err)
	}
	return RasterFromImage(img, maxW), nil
}
