// Package proto holds the wire contract of rpmpgp backends (backend.proto).
// The generated Go code lives in core/plugin/internal/pb and is committed, so
// no build needs protoc.
//
// Regenerating needs protoc (Debian: protobuf-compiler) and the two Go
// plugins on $PATH, at the versions the committed code was made with:
//
//	go install google.golang.org/protobuf/cmd/protoc-gen-go@v1.36.12
//	go install google.golang.org/grpc/cmd/protoc-gen-go-grpc@v1.6.2
//	go generate ./core/plugin/proto
package proto

//go:generate protoc --proto_path=. --go_out=../internal/pb --go_opt=paths=source_relative --go-grpc_out=../internal/pb --go-grpc_opt=paths=source_relative backend.proto
