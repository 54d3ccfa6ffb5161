module github.com/posbridge/posbridge

go 1.26.8

require github.com/mattn/go-sqlite3 v1.14.53

require (
	go.bug.st/serial v1.8.0 // indirect
	golang.org/x/sys v0.43.0 // indirect
	golang.org/x/time v0.16.0 // indirect
)
