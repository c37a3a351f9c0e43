// Command pause holds a pod's namespaces open, as Kubernetes' pause.c does:
// it sleeps until SIGINT/SIGTERM and reaps zombies re-parented to it when the
// pod shares one PID namespace. Built static (CGO_ENABLED=0) for a FROM scratch image.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// version is stamped with -ldflags "-X main.version=...".
var version = "v3.10.1-kindlab"

func main() {
	for _, arg := range os.Args[1:] {
		if strings.EqualFold(arg, "-v") {
			fmt.Printf("pause.c %s\n", version)
			os.Exit(0)
		}
	}
	if os.Getpid() != 1 {
		fmt.Fprintln(os.Stderr, "Warning: pause should be the first process")
	}

	signals := make(chan os.Signal, 16)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGCHLD)
	for sig := range signals {
		if sig == syscall.SIGCHLD {
			reapChildren()
			continue
		}
		fmt.Fprintf(os.Stderr, "Shutting down, got signal: %s\n", describe(sig))
		os.Exit(0)
	}
	fmt.Fprintln(os.Stderr, "Error: infinite loop terminated")
	os.Exit(42)
}

// reapChildren collects every exited child without blocking, like pause.c's SIGCHLD handler.
func reapChildren() {
	for {
		var status syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &status, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// describe matches psignal(3)'s wording for the two signals pause exits on.
func describe(sig os.Signal) string {
	switch sig {
	case syscall.SIGINT:
		return "Interrupt"
	case syscall.SIGTERM:
		return "Terminated"
	}
	return sig.String()
}
