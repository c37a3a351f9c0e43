#!/bin/bash
# OCI createContainer hook (cri-base.json): gives every pod container the node's faked
# DMI product name and uuid, so pods on different nodes do not all see the host's.
set -o errexit -o nounset -o pipefail
export PATH='/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
bundle=$(jq -r .bundle)
rootfs="${bundle:?}/rootfs"
cp /kind/product_* "${rootfs}/" 2>/dev/null || exit 0
for target in /sys/class/dmi/id/product_name:product_name /sys/class/dmi/id/product_uuid:product_uuid /sys/devices/virtual/dmi/id/product_uuid:product_uuid; do
  path=${target%%:*}
  file=${target##*:}
  if [[ -f "${path}" && -f "${rootfs}/${file}" ]]; then
    mount -o ro,bind "${rootfs}/${file}" "${rootfs}${path}"
  fi
done
