package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

var capabilityLists = []string{"bounding", "effective", "inheritable", "permitted", "ambient"}

// dropCapsFromProcess removes the missing capabilities from every list of an OCI process
// object (a map, so fields this program does not know survive the round trip).
// It returns how many entries it removed.
func dropCapsFromProcess(process map[string]any, missing map[string]bool) int {
	caps, ok := process["capabilities"].(map[string]any)
	if !ok {
		return 0
	}
	removed := 0
	for _, list := range capabilityLists {
		entries, ok := caps[list].([]any)
		if !ok {
			continue
		}
		kept := make([]any, 0, len(entries))
		for _, entry := range entries {
			if name, isString := entry.(string); isString && missing[name] {
				removed++
				continue
			}
			kept = append(kept, entry)
		}
		caps[list] = kept
	}
	return removed
}

// rewriteJSONFile applies edit to the JSON object in path and writes it back only when edit
// removed something, keeping the file mode. Numbers stay verbatim (json.Number).
func rewriteJSONFile(path string, edit func(doc map[string]any) int) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("failed to read %s: %w", path, err)
	}
	decoder := json.NewDecoder(bytes.NewReader(raw))
	decoder.UseNumber()
	var doc map[string]any
	if err := decoder.Decode(&doc); err != nil {
		return 0, fmt.Errorf("failed to parse %s: %w", path, err)
	}
	removed := edit(doc)
	if removed == 0 {
		return 0, nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return 0, fmt.Errorf("failed to encode %s: %w", path, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return 0, fmt.Errorf("failed to stat %s: %w", path, err)
	}
	if err := os.WriteFile(path, out, info.Mode().Perm()); err != nil {
		return 0, fmt.Errorf("failed to write %s: %w", path, err)
	}
	return removed, nil
}

// rewriteBundleConfig edits <bundle>/config.json, where the process sits under "process".
func rewriteBundleConfig(path string, missing map[string]bool) (int, error) {
	return rewriteJSONFile(path, func(doc map[string]any) int {
		process, ok := doc["process"].(map[string]any)
		if !ok {
			return 0
		}
		return dropCapsFromProcess(process, missing)
	})
}

// rewriteProcessFile edits the file `runc exec --process` reads: the process object itself.
func rewriteProcessFile(path string, missing map[string]bool) (int, error) {
	return rewriteJSONFile(path, func(doc map[string]any) int {
		return dropCapsFromProcess(doc, missing)
	})
}
