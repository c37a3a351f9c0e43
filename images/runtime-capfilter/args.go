package main

import (
	"path/filepath"
	"strings"
)

// runc's global flags that take a value; everything else before the subcommand is a boolean.
var globalValueFlags = map[string]bool{"root": true, "log": true, "log-format": true, "criu": true, "rootless": true}

// invocation is what the wrapper needs to know about one runc command line.
type invocation struct {
	subcommand string
	// file is the JSON file to edit: <bundle>/config.json for create/run, the --process file for exec.
	file string
	// processFile is true when file holds a bare process object (exec) instead of a bundle config.
	processFile bool
}

// flagName returns the name of "-x", "--x" or "--x=v" and whether the value was inline.
func flagName(arg string) (name string, value string, inline bool) {
	trimmed := strings.TrimLeft(arg, "-")
	name, value, inline = strings.Cut(trimmed, "=")
	return name, value, inline
}

// parseInvocation finds the subcommand and the file it will read. cwd is the bundle when
// create/run get no --bundle, as in runc itself.
func parseInvocation(args []string, cwd string) invocation {
	i := 0
	for ; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			break
		}
		name, _, inline := flagName(arg)
		if globalValueFlags[name] && !inline {
			i++
		}
	}
	if i >= len(args) || args[i] == "--" {
		return invocation{}
	}
	inv := invocation{subcommand: args[i]}
	rest := args[i+1:]
	switch inv.subcommand {
	case "create", "run":
		bundle := findFlagValue(rest, "bundle", "b")
		if bundle == "" {
			bundle = cwd
		}
		inv.file = filepath.Join(bundle, "config.json")
	case "exec":
		if process := findFlagValue(rest, "process", "p"); process != "" {
			inv.file = process
			inv.processFile = true
		}
	}
	return inv
}

// findFlagValue returns the value of --long/-short in either "--x v" or "--x=v" form.
func findFlagValue(args []string, long, short string) string {
	for i := 0; i < len(args); i++ {
		arg := args[i]
		if arg == "--" || !strings.HasPrefix(arg, "-") {
			continue
		}
		name, value, inline := flagName(arg)
		if name != long && name != short {
			continue
		}
		if inline {
			return value
		}
		if i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}
