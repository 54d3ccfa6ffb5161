#!/bin/sh
# posbridge post-install (deb: configure [old-version]; rpm: 1 = install, 2 = upgrade).
# Creates the service user and folders; config and data of an earlier install are kept.
set -e

SERVICE_USER=posbridge

if ! getent passwd "$SERVICE_USER" >/dev/null; then
    useradd --system --user-group --home-dir /var/lib/posbridge --no-create-home \
        --shell /usr/sbin/nologin --comment "posbridge order bridge" "$SERVICE_USER"
fi
# dialout: serial scanners and printers; lp: USB printers (/dev/usb/lp*).
for group in dialout lp; do
    if getent group "$group" >/dev/null; then
        usermod --append --groups "$group" "$SERVICE_USER"
    fi
done

install -d -m 0750 -o root -g "$SERVICE_USER" /etc/posbridge
install -d -m 0750 -o "$SERVICE_USER" -g "$SERVICE_USER" /var/lib/posbridge
# The config may hold the platform token: readable by the service, not by everyone.
if [ -f /etc/posbridge/posbridge.yaml ]; then
    chgrp "$SERVICE_USER" /etc/posbridge/posbridge.yaml
    chmod 0640 /etc/posbridge/posbridge.yaml
fi

upgrade=false
case "$1" in
    configure) if [ -n "$2" ]; then upgrade=true; fi ;;
    2) upgrade=true ;;
esac

if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    systemctl enable posbridge.service
    if [ "$upgrade" = true ]; then
        systemctl try-restart posbridge.service
    else
        systemctl start posbridge.service || true
    fi
fi

if [ "$upgrade" != true ]; then
    echo "posbridge: edit /etc/posbridge/posbridge.yaml, then run: sudo posbridge doctor"
fi
exit 0
