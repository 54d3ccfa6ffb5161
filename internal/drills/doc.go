// Package drills holds the fault drills of posbridge (issue 7): a daemon
// killed with SIGKILL mid-rush, a platform that fails in every documented
// way and heals, a flooded push receiver, printers that cut off, run out of
// paper or stall, a full disk, a wall clock that jumps, and the red team of
// issue 13 (forged and foreign pushes, a PIN burst, a push flood, an open
// redirect, a POS order sent twice, a damaged database). Every drill ends
// with the load tool's checker (loadtest.Check): nothing lost, nothing
// applied or printed twice except the 补打 reprints the design allows.
package drills
