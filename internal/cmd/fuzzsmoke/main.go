// Command fuzzsmoke runs every fuzz target of the module for a short time
// (make fuzz-smoke): go test can fuzz only one target per invocation.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
)

func main() {
	dur := flag.Duration("time", 0, "fuzz time per target (e.g. 30s)")
	flag.Parse()
	if *dur <= 0 {
		fmt.Fprintln(os.Stderr, "fuzzsmoke: -time is required")
		os.Exit(2)
	}
	// go test -list prints the matching names of each package, then "ok <pkg>".
	out, err := exec.Command("go", "test", "-run", "^$", "-list", "^Fuzz", "./...").Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, "fuzzsmoke: listing fuzz targets: %v\n%s", err, out)
		os.Exit(1)
	}
	var targets []string
	var pending []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "Fuzz"):
			pending = append(pending, line)
		case strings.HasPrefix(line, "ok "):
			f := strings.Fields(line)
			for _, name := range pending {
				targets = append(targets, f[1]+" "+name)
			}
			pending = nil
		}
	}
	failed := 0
	for _, t := range targets {
		pkg, name, _ := strings.Cut(t, " ")
		fmt.Printf("== %s %s (%s)\n", pkg, name, *dur)
		cmd := exec.Command("go", "test", "-run", "^$", "-fuzz", "^"+name+"$", "-fuzztime", dur.String(), pkg)
		cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
		if err := cmd.Run(); err != nil {
			failed++
		}
	}
	fmt.Printf("%d passed, %d failed\n", len(targets)-failed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}
