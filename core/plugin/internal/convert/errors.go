package convert

import (
	"errors"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/pb"
)

// BackendError is an error that a backend method returned, as received over
// the wire. Go error types do not survive the trip; the sentinels of package
// core do, through [BackendError.Unwrap].
type BackendError struct {
	// Kind says which core sentinel the error wrapped.
	Kind pb.ErrorKind
	// Message is the backend's error text.
	Message string
}

// Error returns the backend's message.
func (e *BackendError) Error() string {
	if e.Message == "" {
		return "backend returned an error without a message"
	}
	return e.Message
}

// Unwrap returns the core sentinel the backend's error wrapped, if any.
func (e *BackendError) Unwrap() error {
	switch e.Kind {
	case pb.ErrorKind_ERROR_KIND_NOT_SUPPORTED:
		return core.ErrNotSupported
	case pb.ErrorKind_ERROR_KIND_UNSUPPORTED_DIGEST:
		return core.ErrUnsupportedDigest
	}
	return nil
}

// ErrorToProto converts err; nil gives nil.
func ErrorToProto(err error) *pb.Error {
	if err == nil {
		return nil
	}
	kind := pb.ErrorKind_ERROR_KIND_UNSPECIFIED
	switch {
	case errors.Is(err, core.ErrUnsupportedDigest):
		kind = pb.ErrorKind_ERROR_KIND_UNSUPPORTED_DIGEST
	case errors.Is(err, core.ErrNotSupported):
		kind = pb.ErrorKind_ERROR_KIND_NOT_SUPPORTED
	}
	return &pb.Error{Kind: kind, Message: String(err.Error())}
}

// ErrorFromProto converts e; nil gives nil. An unknown kind is kept as an
// unspecified error (the message still says what went wrong).
func ErrorFromProto(e *pb.Error) error {
	if e == nil {
		return nil
	}
	kind := e.Kind
	if _, known := pb.ErrorKind_name[int32(kind)]; !known {
		kind = pb.ErrorKind_ERROR_KIND_UNSPECIFIED
	}
	return &BackendError{Kind: kind, Message: e.Message}
}
