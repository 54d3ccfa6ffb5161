module github.com/posbridge/posbridge

go 1.26.8

require (
	github.com/boombuler/barcode v1.1.0
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e
	go.bug.st/serial v1.8.0
	golang.org/x/sys v0.49.0
	golang.org/x/text v0.43.0
)
