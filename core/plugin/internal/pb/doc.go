// Package pb is the Go code protoc generates from
// core/plugin/proto/backend.proto (protocol version 1). Only core/plugin and
// its convert package use it; backends and the CLI never see these types.
//
// Do not edit backend.pb.go or backend_grpc.pb.go by hand: run
// `go generate ./core/plugin/proto`.
package pb
