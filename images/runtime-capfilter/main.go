// kindlab-runc is an OCI runtime wrapper for Docker 20.10 on hosts whose capability bounding set
// lacks capabilities the kernel knows (for example CAP_SYS_RESOURCE in some sandboxes). Docker
// 20.10 asks runc for every kernel capability on --privileged run and exec, and runc then fails
// with "unable to apply caps: operation not permitted". This wrapper removes the capabilities
// the bounding set lacks from the spec runc is about to read, then execs the runtime it wraps:
// the one named by --kindlab-runtime= (Docker's previous default runtime), or else the real runc.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func main() {
	wrapped, args := splitTarget(os.Args[1:])
	cwd, _ := os.Getwd()
	inv := parseInvocation(args, cwd)
	if inv.file != "" {
		if err := filterCaps(inv); err != nil {
			// Fall through to runc: it reports the real failure, if there is one.
			fmt.Fprintf(os.Stderr, "kindlab-runc: %v\n", err)
		}
	}
	runc := wrapped.path
	if runc == "" {
		found, err := realRunc()
		if err != nil {
			fmt.Fprintf(os.Stderr, "kindlab-runc: %v\n", err)
			os.Exit(127)
		}
		runc = found
	}
	if err := syscall.Exec(runc, wrapped.argv(runc, args), os.Environ()); err != nil {
		fmt.Fprintf(os.Stderr, "kindlab-runc: failed to exec %s: %v\n", runc, err)
		os.Exit(126)
	}
}

func filterCaps(inv invocation) error {
	missing, err := hostMissingCaps()
	if err != nil {
		return err
	}
	if len(missing) == 0 {
		return nil
	}
	if inv.processFile {
		_, err = rewriteProcessFile(inv.file, missing)
	} else {
		_, err = rewriteBundleConfig(inv.file, missing)
	}
	return err
}

// realRunc prefers $KINDLAB_REAL_RUNC, then Debian's /usr/sbin/runc, then any runc on PATH
// that is not this program (it may be installed under the name runc).
func realRunc() (string, error) {
	if path := os.Getenv("KINDLAB_REAL_RUNC"); path != "" {
		return path, nil
	}
	self, _ := os.Executable()
	selfInfo, _ := os.Stat(self)
	candidates := []string{"/usr/sbin/runc"}
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		candidates = append(candidates, filepath.Join(dir, "runc"))
	}
	for _, candidate := range candidates {
		info, err := os.Stat(candidate)
		if err != nil || info.IsDir() || info.Mode()&0o111 == 0 {
			continue
		}
		if selfInfo != nil && os.SameFile(info, selfInfo) {
			continue
		}
		return candidate, nil
	}
	return "", fmt.Errorf("failed to find the real runc (looked at /usr/sbin/runc and PATH)")
}
