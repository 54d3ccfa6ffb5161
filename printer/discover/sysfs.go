package discover

import (
	"os"
	"path/filepath"
	"strings"
)

// maxSysfsValue bounds what is read from one sysfs attribute.
const maxSysfsValue = 4096

// readAttr reads one sysfs attribute, trimmed; "" when absent or unreadable.
func readAttr(dir, name string) string {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, maxSysfsValue)
	n, _ := f.Read(buf)
	return strings.TrimSpace(strings.ToValidUTF8(string(buf[:n]), "?"))
}

// usbAncestor walks up from a device's sysfs folder (a USB interface, or a
// tty below one) to the USB device that has the descriptors, at most a few
// levels and never above root.
func usbAncestor(root, dir string) (string, *USBInfo) {
	root = filepath.Clean(root)
	for range 4 {
		if vid := normaliseID(readAttr(dir, "idVendor")); vid != "" {
			return dir, &USBInfo{
				VendorID:     vid,
				ProductID:    normaliseID(readAttr(dir, "idProduct")),
				Manufacturer: readAttr(dir, "manufacturer"),
				Product:      readAttr(dir, "product"),
				Serial:       readAttr(dir, "serial"),
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir || !strings.HasPrefix(parent, root+string(filepath.Separator)) {
			break
		}
		dir = parent
	}
	return "", nil
}

// classDevice resolves root/class/CLASS/NAME/device to the real folder
// (sysfs links it into /sys/devices/…); "" when there is none.
func classDevice(root, class, name string) string {
	dir, err := filepath.EvalSymlinks(filepath.Join(root, "class", class, name, "device"))
	if err != nil {
		return ""
	}
	return dir
}
