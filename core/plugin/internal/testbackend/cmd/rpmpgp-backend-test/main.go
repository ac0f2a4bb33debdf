// Command rpmpgp-backend-test serves the fake backend of package testbackend
// for the out-of-process tests of core/plugin. It is never installed.
package main

import (
	"github.com/rpmpgp/rpmpgp/core/plugin"
	"github.com/rpmpgp/rpmpgp/core/plugin/internal/testbackend"
)

func main() { plugin.Serve(testbackend.New()) }
