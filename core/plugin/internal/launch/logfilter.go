package launch

import (
	"github.com/hashicorp/go-hclog"
)

// pluginLogFilter is the go-plugin logger of one backend process. It drops
// go-plugin's messages about the process ending ("plugin process exited",
// "plugin failed to exit gracefully"): the host kills backends on purpose
// when it closes them, and when a backend dies by itself the failed call's
// error already says how, with the backend's last words. Everything else
// passes, including the backend's own log lines.
type pluginLogFilter struct {
	hclog.Logger
}

// dropped reports whether msg is one of go-plugin's process-end messages.
func dropped(msg string) bool {
	return msg == "plugin process exited" || msg == "plugin failed to exit gracefully"
}

// Error implements hclog.Logger.
func (l pluginLogFilter) Error(msg string, args ...any) {
	if !dropped(msg) {
		l.Logger.Error(msg, args...)
	}
}

// Warn implements hclog.Logger.
func (l pluginLogFilter) Warn(msg string, args ...any) {
	if !dropped(msg) {
		l.Logger.Warn(msg, args...)
	}
}

// Info implements hclog.Logger.
func (l pluginLogFilter) Info(msg string, args ...any) {
	if !dropped(msg) {
		l.Logger.Info(msg, args...)
	}
}

// Named implements hclog.Logger.
func (l pluginLogFilter) Named(name string) hclog.Logger {
	return pluginLogFilter{l.Logger.Named(name)}
}

// ResetNamed implements hclog.Logger.
func (l pluginLogFilter) ResetNamed(name string) hclog.Logger {
	return pluginLogFilter{l.Logger.ResetNamed(name)}
}

// With implements hclog.Logger.
func (l pluginLogFilter) With(args ...any) hclog.Logger {
	return pluginLogFilter{l.Logger.With(args...)}
}
