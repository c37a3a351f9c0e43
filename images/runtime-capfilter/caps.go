package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// capNames follows include/uapi/linux/capability.h; the index is the capability number.
var capNames = []string{
	"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID",
	"CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK",
	"CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
	"CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE",
	"CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG",
	"CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
}

// parseBoundingSet reads the CapBnd mask from the text of /proc/<pid>/status.
func parseBoundingSet(status string) (uint64, error) {
	scanner := bufio.NewScanner(strings.NewReader(status))
	for scanner.Scan() {
		key, value, found := strings.Cut(scanner.Text(), ":")
		if !found || key != "CapBnd" {
			continue
		}
		mask, err := strconv.ParseUint(strings.TrimSpace(value), 16, 64)
		if err != nil {
			return 0, fmt.Errorf("failed to parse CapBnd %q: %w", value, err)
		}
		return mask, nil
	}
	return 0, fmt.Errorf("failed to find CapBnd in process status")
}

// missingCaps names the capabilities the kernel knows (0..lastCap) that the bounding set lacks:
// runc cannot grant those, so asking for them makes it fail with "unable to apply caps".
func missingCaps(bounding uint64, lastCap int) map[string]bool {
	missing := map[string]bool{}
	for n := 0; n <= lastCap && n < len(capNames) && n < 64; n++ {
		if bounding&(1<<uint(n)) == 0 {
			missing[capNames[n]] = true
		}
	}
	return missing
}

// hostMissingCaps reads this process's own bounding set: the shim starts us with the same
// bounding set it hands to runc, so what we lack runc lacks too.
func hostMissingCaps() (map[string]bool, error) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return nil, fmt.Errorf("failed to read /proc/self/status: %w", err)
	}
	bounding, err := parseBoundingSet(string(status))
	if err != nil {
		return nil, err
	}
	lastCap := len(capNames) - 1
	if raw, err := os.ReadFile("/proc/sys/kernel/cap_last_cap"); err == nil {
		if n, err := strconv.Atoi(strings.TrimSpace(string(raw))); err == nil {
			lastCap = n
		}
	}
	return missingCaps(bounding, lastCap), nil
}
