#!/bin/sh
# posbridge pre-remove (deb: remove | upgrade | deconfigure; rpm: 0 = erase, 1 = upgrade).
set -e
case "$1" in
    remove|deconfigure|0)
        if [ -d /run/systemd/system ]; then
            systemctl disable --now posbridge.service || true
        fi
        ;;
esac
exit 0
