package fake_test

import (
	"context"
	"testing"
	"time"

	"github.com/posbridge/posbridge/kaigedian/fake"
)

// FirstAfter places the stream's first order, whatever the rate: the
// sandbox shows an order at once instead of after its average interval.
func TestGeneratorFirstOrderComesWhenAsked(t *testing.T) {
	r := newRig(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	// One order an hour on average: without FirstAfter, none in 5 s.
	if err := r.p.Run(ctx, fake.GeneratorOptions{Rate: 1.0 / 3600, FirstAfter: 50 * time.Millisecond, Max: 1}); err != nil {
		t.Fatal(err)
	}
	if n := len(r.p.Orders()); n != 1 || time.Since(start) > 4*time.Second {
		t.Fatalf("%d orders after %s", n, time.Since(start))
	}
}
