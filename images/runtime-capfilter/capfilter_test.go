package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Recorded on the development machine; see test/fixtures/host/README.md for the commands.
const fixtures = "../../test/fixtures/host"

func readFixture(t *testing.T, name string) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(raw)
}

func TestMissingCapsFromRecordedStatus(t *testing.T) {
	bounding, err := parseBoundingSet(readFixture(t, "proc-self-status.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if bounding != 0x1fffeffffff {
		t.Fatalf("CapBnd = %x", bounding)
	}
	missing := missingCaps(bounding, 40)
	if len(missing) != 1 || !missing["CAP_SYS_RESOURCE"] {
		t.Fatalf("missing = %v, want only CAP_SYS_RESOURCE", missing)
	}
}

func TestMissingCapsStopsAtLastCap(t *testing.T) {
	// Bits above cap_last_cap are unknown to the kernel, so their absence is not "missing".
	if missing := missingCaps(0xff, 7); len(missing) != 0 {
		t.Fatalf("missing = %v", missing)
	}
	if missing := missingCaps(0x7f, 7); len(missing) != 1 || !missing["CAP_SETUID"] {
		t.Fatalf("missing = %v", missing)
	}
}

func TestParseInvocationFromRecordedArgv(t *testing.T) {
	file, err := os.Open(filepath.Join(fixtures, "runc", "runc-argv.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	got := map[string]invocation{}
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 64*1024), 1024*1024)
	for scanner.Scan() {
		inv := parseInvocation(strings.Fields(scanner.Text()), "/cwd")
		got[inv.subcommand] = inv
	}
	create := got["create"]
	if !strings.HasSuffix(create.file, "/config.json") || create.processFile || !strings.Contains(create.file, "/moby/") {
		t.Fatalf("create = %+v", create)
	}
	exec := got["exec"]
	if !strings.HasPrefix(exec.file, "/tmp/runc-process") || !exec.processFile {
		t.Fatalf("exec = %+v", exec)
	}
	for _, sub := range []string{"start", "kill", "delete"} {
		if inv, ok := got[sub]; !ok || inv.file != "" {
			t.Fatalf("%s = %+v (present %v)", sub, inv, ok)
		}
	}
}

func TestParseInvocationForms(t *testing.T) {
	cases := []struct {
		args        []string
		subcommand  string
		file        string
		processFile bool
	}{
		{[]string{"create", "id"}, "create", "/cwd/config.json", false},
		{[]string{"--root=/r", "--systemd-cgroup", "run", "-b", "/b", "id"}, "run", "/b/config.json", false},
		{[]string{"-log", "/l", "create", "--bundle=/b2", "id"}, "create", "/b2/config.json", false},
		{[]string{"exec", "-p", "/p.json", "id"}, "exec", "/p.json", true},
		{[]string{"exec", "--process=/q.json", "id"}, "exec", "/q.json", true},
		{[]string{"exec", "id", "true"}, "exec", "", false},
		{[]string{"--version"}, "", "", false},
	}
	for _, c := range cases {
		inv := parseInvocation(c.args, "/cwd")
		if inv.subcommand != c.subcommand || inv.file != c.file || inv.processFile != c.processFile {
			t.Errorf("%v: got %+v", c.args, inv)
		}
	}
}

func copyFixture(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), filepath.Base(name))
	if err := os.WriteFile(path, []byte(readFixture(t, name)), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func capLists(t *testing.T, raw []byte, underProcess bool) map[string][]string {
	t.Helper()
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	process := raw
	if underProcess {
		process = doc["process"]
	}
	var p struct {
		Capabilities map[string][]string `json:"capabilities"`
	}
	if err := json.Unmarshal(process, &p); err != nil {
		t.Fatal(err)
	}
	return p.Capabilities
}

func TestRewriteRecordedBundleConfig(t *testing.T) {
	path := copyFixture(t, "runc/bundle-config.json")
	before := capLists(t, []byte(readFixture(t, "runc/bundle-config.json")), true)
	removed, err := rewriteBundleConfig(path, map[string]bool{"CAP_SYS_RESOURCE": true})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	after := capLists(t, raw, true)
	if removed != len(before) {
		t.Fatalf("removed %d entries, want one per list (%d lists)", removed, len(before))
	}
	for list, caps := range after {
		if len(caps) != len(before[list])-1 {
			t.Errorf("%s: %d caps after, %d before", list, len(caps), len(before[list]))
		}
		for _, c := range caps {
			if c == "CAP_SYS_RESOURCE" {
				t.Errorf("%s still has CAP_SYS_RESOURCE", list)
			}
		}
	}
	// Everything else survives the round trip.
	var original, rewritten map[string]any
	_ = json.Unmarshal([]byte(readFixture(t, "runc/bundle-config.json")), &original)
	_ = json.Unmarshal(raw, &rewritten)
	delete(original["process"].(map[string]any), "capabilities")
	delete(rewritten["process"].(map[string]any), "capabilities")
	a, _ := json.Marshal(original)
	b, _ := json.Marshal(rewritten)
	if string(a) != string(b) {
		t.Fatal("fields other than the capability lists changed")
	}
}

func TestRewriteRecordedExecProcess(t *testing.T) {
	path := copyFixture(t, "runc/exec-process.json")
	removed, err := rewriteProcessFile(path, map[string]bool{"CAP_SYS_RESOURCE": true, "CAP_SYS_TIME": true})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile(path)
	after := capLists(t, raw, false)
	if removed != 2*len(after) {
		t.Fatalf("removed %d, want %d", removed, 2*len(after))
	}
	for list, caps := range after {
		for _, c := range caps {
			if c == "CAP_SYS_RESOURCE" || c == "CAP_SYS_TIME" {
				t.Errorf("%s still has %s", list, c)
			}
		}
	}
}

func TestRewriteLeavesFileAloneWhenNothingIsMissing(t *testing.T) {
	path := copyFixture(t, "runc/exec-process.json")
	info, _ := os.Stat(path)
	removed, err := rewriteProcessFile(path, map[string]bool{"CAP_NOT_THERE": true})
	if err != nil || removed != 0 {
		t.Fatalf("removed %d, err %v", removed, err)
	}
	after, _ := os.Stat(path)
	if !after.ModTime().Equal(info.ModTime()) || after.Size() != info.Size() {
		t.Fatal("file was rewritten")
	}
}

func TestSplitTargetTakesKindlabArgsOff(t *testing.T) {
	wrapped, rest := splitTarget([]string{"--kindlab-runtime=/usr/bin/nvidia-container-runtime", "--kindlab-runtime-arg=--debug", "--root", "/run/x", "create", "--bundle", "/b", "id"})
	if wrapped.path != "/usr/bin/nvidia-container-runtime" || len(wrapped.args) != 1 || wrapped.args[0] != "--debug" {
		t.Fatalf("target = %+v", wrapped)
	}
	argv := wrapped.argv(wrapped.path, rest)
	want := []string{"/usr/bin/nvidia-container-runtime", "--debug", "--root", "/run/x", "create", "--bundle", "/b", "id"}
	if strings.Join(argv, " ") != strings.Join(want, " ") {
		t.Fatalf("argv = %v, want %v", argv, want)
	}
	if inv := parseInvocation(rest, "/"); inv.file != "/b/config.json" {
		t.Fatalf("invocation after split = %+v", inv)
	}
}

func TestSplitTargetWithoutKindlabArgsKeepsEverything(t *testing.T) {
	// An install from before kindlab wrapped other runtimes: no runtimeArgs, so runc is looked up.
	wrapped, rest := splitTarget([]string{"--root", "/run/x", "state", "id"})
	if wrapped.path != "" || len(wrapped.args) != 0 || len(rest) != 4 {
		t.Fatalf("target = %+v rest = %v", wrapped, rest)
	}
}

func TestCapabilityNamesByNumber(t *testing.T) {
	// capability.h: CAP_CHOWN is 0, CAP_SYS_ADMIN 21, CAP_CHECKPOINT_RESTORE 40 (the last one in Linux 5.9+).
	for number, want := range map[int]string{0: "CAP_CHOWN", 21: "CAP_SYS_ADMIN", 40: "CAP_CHECKPOINT_RESTORE"} {
		if capNames[number] != want {
			t.Errorf("capNames[%d] = %q, want %q", number, capNames[number], want)
		}
	}
	if len(capNames) != 41 {
		t.Errorf("len(capNames) = %d, want 41", len(capNames))
	}
}
