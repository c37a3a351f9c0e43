#!/bin/bash
# cgroup v2: kubelet runs with cgroupRoot=/kubelet, which must exist with the controllers enabled.
# The root cgroup has no free processes once systemd moved itself into init.scope.
set -o errexit -o nounset -o pipefail
if [[ ! -f /sys/fs/cgroup/cgroup.controllers ]]; then
  echo 'cgroup v2 not detected' >&2
  exit 1
fi
mkdir -p /sys/fs/cgroup/kubelet
for controller in $(cat /sys/fs/cgroup/cgroup.controllers); do
  echo "+${controller}" >/sys/fs/cgroup/cgroup.subtree_control || true
done
if [[ -f /sys/fs/cgroup/cpuset.cpus.effective ]]; then
  cat /sys/fs/cgroup/cpuset.cpus.effective >/sys/fs/cgroup/kubelet/cpuset.cpus || true
  cat /sys/fs/cgroup/cpuset.mems.effective >/sys/fs/cgroup/kubelet/cpuset.mems || true
fi
