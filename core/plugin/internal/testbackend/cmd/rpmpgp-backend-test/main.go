// Command rpmpgp-backend-test serves the fake backend of package testbackend
// for the out-of-process tests of core/plugin. It is never installed.
package main

import (
	"github.com/rpmpgp/rpmpgp/core"
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
)

// A new backend for every session of a resident instance.
func main() { plugin.ServeFunc(func() (core.Backend, error) { return testbackend.New(), nil }) }
