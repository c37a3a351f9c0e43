package main

import "strings"

// Arguments kindlab puts first through daemon.json's runtimeArgs: the runtime this wrapper wraps
// (whatever Docker's default runtime was before, e.g. nvidia's) and that runtime's own
// runtimeArgs. They are consumed here and never reach the wrapped runtime.
const (
	runtimeFlag    = "--kindlab-runtime="
	runtimeArgFlag = "--kindlab-runtime-arg="
)

// target is the wrapped runtime: path "" means "find runc" (an install without runtimeArgs,
// as kindlab wrote it before it wrapped other runtimes).
type target struct {
	path string
	args []string
}

// splitTarget takes kindlab's leading arguments off a command line and returns the rest.
func splitTarget(args []string) (target, []string) {
	var t target
	i := 0
	for ; i < len(args); i++ {
		if value, ok := strings.CutPrefix(args[i], runtimeFlag); ok {
			t.path = value
		} else if value, ok := strings.CutPrefix(args[i], runtimeArgFlag); ok {
			t.args = append(t.args, value)
		} else {
			break
		}
	}
	return t, args[i:]
}

// argv is the wrapped runtime's command line: its path, its own runtimeArgs, then what the shim passed.
func (t target) argv(path string, rest []string) []string {
	argv := append([]string{path}, t.args...)
	return append(argv, rest...)
}
