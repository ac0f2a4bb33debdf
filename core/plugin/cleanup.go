package plugin

import (
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/rpmpgp/rpmpgp/core/plugin/internal/spawn"
)

// registry holds the open Clients for CloseAll.
var registry = struct {
	sync.Mutex
	clients map[*Client]struct{}
}{clients: map[*Client]struct{}{}}

func register(c *Client) {
	registry.Lock()
	registry.clients[c] = struct{}{}
	registry.Unlock()
}

func unregister(c *Client) {
	registry.Lock()
	delete(registry.clients, c)
	registry.Unlock()
}

// CloseAll closes every Client returned by [Open] that is still open, and
// ends a backend started early that no Open used (package early). Call it
// (or defer it) before the program exits. Backend processes also die with
// the host on their own (Pdeathsig), but CloseAll lets them exit cleanly
// and removes their socket directories.
func CloseAll() {
	spawn.DiscardEarly()
	registry.Lock()
	cs := make([]*Client, 0, len(registry.clients))
	for c := range registry.clients {
		cs = append(cs, c)
	}
	registry.Unlock()
	var wg sync.WaitGroup
	for _, c := range cs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_ = c.Close()
		}()
	}
	wg.Wait()
}

// CloseOnSignal makes the first SIGINT or SIGTERM close every open Client
// ([CloseAll]) and then deliver the signal again with its default action,
// so the program ends as it would have without the handler (exit status
// 128+signal). It returns a function that removes the handler.
func CloseOnSignal() (stop func()) {
	ch := make(chan os.Signal, 1)
	done := make(chan struct{})
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			CloseAll()
			signal.Reset(sig)
			if s, ok := sig.(syscall.Signal); ok {
				_ = syscall.Kill(os.Getpid(), s)
			}
		case <-done:
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
	}
}
