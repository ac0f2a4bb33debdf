package conformance

import (
	"fmt"
	"io"

	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
)

// pluginOpener is the default [BackendOpener]: the backend runs out of
// process (rpmpgp-backend-<name> found by core/plugin in dirs), initialised
// with opts.
func pluginOpener(dirs []string) BackendOpener {
	return func(name string, opts core.Options) (core.Backend, io.Closer, error) {
		c, err := plugin.Open(name, plugin.LoadConfig{Dirs: dirs})
		if err != nil {
			return nil, nil, err
		}
		if err := c.Init(opts); err != nil {
			c.Close()
			return nil, nil, fmt.Errorf("backend %q: Init: %w", name, err)
		}
		return c, c, nil
	}
}
