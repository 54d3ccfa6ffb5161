// Package wire is the HTTP plumbing the provider clients share: one bounded
// call with a deadline, errors stripped of URLs and secrets, base-URL
// checks for Validate, and random nonces.
package wire
