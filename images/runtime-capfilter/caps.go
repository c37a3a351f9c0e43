package main

import (
	"bufio"
	_ "embed"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// capNames follows include/uapi/linux/capability.h; the index is the capability number.
// The list is data shared with kindlab's TypeScript (src/host/capability-names.ts).
//
//go:embed capability-names.txt
var capabilityNamesText string

var capNames = parseCapabilityNames(capabilityNamesText)

// parseCapabilityNames reads one name per line, skipping blank lines and # comments.
func parseCapabilityNames(text string) []string {
	var names []string
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		names = append(names, line)
	}
	return names
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
