package wire

import "crypto/rand"

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// Nonce is n random characters of [A-Za-z0-9] from crypto/rand.
func Nonce(n int) string {
	b := make([]byte, 0, n)
	buf := make([]byte, n+8)
	for len(b) < n {
		_, _ = rand.Read(buf)
		for _, c := range buf {
			// 248 = 62*4: drop the tail so every character is equally likely.
			if c < 248 && len(b) < n {
				b = append(b, alnum[int(c)%len(alnum)])
			}
		}
	}
	return string(b)
}
