package plugin

import (
	"sync/atomic"

	"github.com/hashicorp/go-hclog"
)

// killLogFilter is the go-plugin logger of one backend process. It drops
// go-plugin's error "plugin process exited ... signal: killed" once the
// host has killed the process on purpose ([instance.stop]), which is not an
// error; every other message passes, including the same one for a process
// that died by itself.
type killLogFilter struct {
	hclog.Logger
	killed *atomic.Bool
}

// Error implements hclog.Logger.
func (l killLogFilter) Error(msg string, args ...any) {
	if l.killed.Load() && msg == "plugin process exited" {
		return
	}
	l.Logger.Error(msg, args...)
}

// Named implements hclog.Logger.
func (l killLogFilter) Named(name string) hclog.Logger {
	return killLogFilter{l.Logger.Named(name), l.killed}
}

// ResetNamed implements hclog.Logger.
func (l killLogFilter) ResetNamed(name string) hclog.Logger {
	return killLogFilter{l.Logger.ResetNamed(name), l.killed}
}

// With implements hclog.Logger.
func (l killLogFilter) With(args ...any) hclog.Logger {
	return killLogFilter{l.Logger.With(args...), l.killed}
}
