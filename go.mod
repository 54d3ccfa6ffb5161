module github.com/posbridge/posbridge

go 1.26.8
