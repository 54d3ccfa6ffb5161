package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

func init() {
	register(command{
		name:    "config hash-pin",
		summary: "print a bcrypt hash of a staff PIN for console.pin (the PIN is read from standard input)",
		run:     func(args []string) int { return configHashPin(args, os.Stdin, os.Stdout, os.Stderr) },
	})
}

// configHashPin reads the PIN from stdin, not from the arguments, so that it
// never lands in the shell history or the process list.
func configHashPin(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset, _ := newFlagSet("config hash-pin")
	fset.SetOutput(stderr)
	fset.Usage = func() {
		fmt.Fprintln(stderr, "usage: echo 8642 | posbridge config hash-pin\n\nPrints a bcrypt hash of the PIN read from standard input; put it in console.pin, in quotes.")
	}
	positional, err := parseFlags(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(positional) > 0 {
		return usageError(fset, stderr, "give the PIN on standard input, not as an argument (it would stay in the shell history)")
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 200)).ReadString('\n')
	if err != nil && err != io.EOF {
		fmt.Fprintf(stderr, "posbridge config hash-pin: read the PIN: %v\n", err)
		return 1
	}
	pin := strings.TrimRight(line, "\r\n")
	if len([]rune(pin)) < 4 {
		fmt.Fprintln(stderr, "posbridge config hash-pin: the PIN needs 4 or more characters")
		return 1
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(pin), 10)
	if err != nil {
		fmt.Fprintf(stderr, "posbridge config hash-pin: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s\n", hash)
	return 0
}
