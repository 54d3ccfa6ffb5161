package harness

import (
	"crypto/rand"
	"os"
)

// DamageFile writes n random bytes over a file at a third of its length, as
// a failing disk or a power cut during a write leaves it (drills and the
// storage tests damage databases with it).
func DamageFile(path string, n int) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	junk := make([]byte, n)
	_, _ = rand.Read(junk)
	_, err = f.WriteAt(junk, info.Size()/3)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
