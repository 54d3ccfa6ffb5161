package pricing

import "github.com/posbridge/posbridge/ordering/money"

func mustDecimal(s string) money.Decimal { return money.MustDecimal(s) }
