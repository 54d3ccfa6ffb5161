#!/bin/sh
# posbridge post-remove. The data in /var/lib/posbridge and the service user
# are kept on remove and purge: orders and the audit log outlive the program.
set -e
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload || true
fi
case "$1" in
    remove|purge|0)
        echo "posbridge: data kept in /var/lib/posbridge (delete it by hand if it is no longer needed)"
        ;;
esac
exit 0
