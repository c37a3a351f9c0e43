#!/bin/bash
# Minimal bookworm userland for pod images that drive iptables (kube-proxy, flannel) or run
# haproxy. Usage: finalize-rootfs.sh <rootfs-dir>
set -o errexit -o nounset -o pipefail
root=${1:?usage: finalize-rootfs.sh <rootfs-dir>}
: >"${root}/etc/machine-id"
echo localhost >"${root}/etc/hostname"
rm -f "${root}/etc/resolv.conf"
rm -rf "${root}"/usr/share/doc/* "${root}"/usr/share/man/* "${root}"/usr/share/info/* "${root}"/usr/share/locale/* \
       "${root}"/var/lib/apt/lists/* "${root}"/var/cache/apt/*.bin "${root}"/var/cache/apt/archives/*.deb \
       "${root}"/var/cache/debconf/*-old "${root}"/var/log/*.log "${root}"/var/log/apt/*
