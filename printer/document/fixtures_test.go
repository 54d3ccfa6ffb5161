package document

import "github.com/posbridge/posbridge/printer/internal/printtest"

var sampleOrder = printtest.SampleOrder
