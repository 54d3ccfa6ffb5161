package members

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/posbridge/posbridge/store"
)

// killChildEnv names the database the child process hammers.
const killChildEnv = "POSBRIDGE_MEMBERS_KILL_CHILD_DB"

// A process paying, topping up and refunding from cards in parallel is
// killed with SIGKILL in the middle: after it, every card still adds up, and
// every payment the process had been told was done is in the ledger.
func TestKillNineMidPaymentsKeepsTheLedger(t *testing.T) {
	if path := os.Getenv(killChildEnv); path != "" {
		hammer(path)
		return
	}
	path := filepath.Join(t.TempDir(), "posbridge.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestKillNineMidPaymentsKeepsTheLedger$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	lines := bufio.NewScanner(out)
	for lines.Scan() && len(done) < 200 {
		if ref, ok := strings.CutPrefix(lines.Text(), "paid "); ok {
			done[ref] = true
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(done) < 200 {
		t.Fatalf("the child reported %d payments before it ended", len(done))
	}
	db, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mustCheck(t, db)
	missing := 0
	for ref := range done {
		var rows []store.MemberEntry
		if err := db.Write(context.Background(), func(tx *store.Tx) error {
			var err error
			rows, err = tx.MemberEntriesOfOrder(ref)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			missing++
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d acknowledged payments are not in the ledger after kill -9", missing, len(done))
	}
}

// hammer runs until killed: four cards, each paid from, topped up and
// refunded by parallel workers; a payment is printed once it committed.
func hammer(path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	cfg := DefaultConfig()
	cfg.TopUps = []TopUp{{MoneyPrice: "50.00", Price: "50.00"}}
	l := New(db, cfg)
	l.cost = bcrypt.MinCost
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range 4 {
		customer := fmt.Sprintf("c%d", w)
		if _, err := l.Open(ctx, 1, customer); err != nil {
			fmt.Println("open card:", err)
			os.Exit(1)
		}
		wg.Go(func() {
			for i := 0; ; i++ {
				if i%5 == 0 {
					d, err := l.CreateDeposit(ctx, 1, customer, "wechat", "50", "50", time.Hour)
					if err == nil {
						_, _ = l.DepositPaid(ctx, d.ID, "T", time.Now())
					}
				}
				ref := fmt.Sprintf("%s-%d", customer, i)
				if _, err := l.Pay(ctx, 1, customer, "", 730, ref, nil); err == nil {
					mu.Lock()
					fmt.Println("paid", ref)
					mu.Unlock()
				}
				if i%7 == 0 {
					_ = db.Write(ctx, func(tx *store.Tx) error { _, err := RefundInTx(tx, ref, "staff:drill"); return err })
				}
			}
		})
	}
	wg.Wait()
}
