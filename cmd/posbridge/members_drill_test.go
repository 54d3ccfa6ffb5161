package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/posbridge/posbridge/ordering/members"
	"github.com/posbridge/posbridge/store"
)

// drillChildEnv names the database the drill's child process works on.
const drillChildEnv = "POSBRIDGE_MEMBERS_DRILL_DB"

// The drill of issue 18: a process paying from cards, topping them up,
// refunding card payments and refunding top-ups through the provider
// outbox, all in parallel, is killed with SIGKILL in the middle; then
// `posbridge members check` passes, every acknowledged payment and refund
// is in the ledger, and every top-up refund is both a ledger row and one
// outbox row (they commit together).
func TestMembersCheckPassesAfterAKillNineDrill(t *testing.T) {
	if path := os.Getenv(drillChildEnv); path != "" {
		drillChild(path)
		return
	}
	s := newStoreSetup(t)
	s.openDaemonDB(t).Close() // the schema, as the daemon makes it
	cmd := exec.Command(os.Args[0], "-test.run=^TestMembersCheckPassesAfterAKillNineDrill$")
	cmd.Env = append(os.Environ(), drillChildEnv+"="+s.dbPath)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	paid, refunded := map[string]bool{}, map[string]bool{}
	lines := bufio.NewScanner(out)
	deadline := time.Now().Add(90 * time.Second)
	for lines.Scan() && (len(paid) < 300 || len(refunded) < 8) && time.Now().Before(deadline) {
		switch kind, ref, _ := strings.Cut(lines.Text(), " "); kind {
		case "paid":
			paid[ref] = true
		case "refunded":
			refunded[ref] = true
		case "fatal":
			t.Fatalf("drill child: %s", ref)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if len(paid) < 300 || len(refunded) < 8 {
		t.Fatalf("the child acknowledged %d payments and %d top-up refunds before it ended", len(paid), len(refunded))
	}

	var stdout, stderr strings.Builder
	if code := membersCmd(context.Background(), []string{"check", "--config", s.config}, &stdout, &stderr); code != 0 ||
		!strings.Contains(stdout.String(), "4 member cards checked") {
		t.Fatalf("posbridge members check after kill -9: exit %d\n%s%s", code, stdout.String(), stderr.String())
	}
	conn, err := sql.Open("sqlite3", "file:"+s.dbPath+"?_busy_timeout=5000&mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for ref := range paid {
		if count(`SELECT count(*) FROM member_ledger WHERE order_ref = ? AND reason = 'payment'`, ref) != 1 {
			t.Fatalf("acknowledged payment %s is not in the ledger once", ref)
		}
	}
	for ref := range refunded {
		if count(`SELECT count(*) FROM member_ledger WHERE top_up_ref = ? AND reason = 'top_up_refund'`, ref) != 1 ||
			count(`SELECT count(*) FROM member_deposit_refunds WHERE deposit_id = ?`, strings.TrimPrefix(ref, "D")) != 1 {
			t.Fatalf("acknowledged top-up refund %s is not one ledger row and one outbox row", ref)
		}
	}
	if rows, queued := count(`SELECT count(*) FROM member_ledger WHERE reason = 'top_up_refund'`),
		count(`SELECT count(*) FROM member_deposit_refunds`); rows != queued {
		t.Fatalf("%d top-up refunds in the ledger, %d in the outbox: one committed without the other", rows, queued)
	}
}

// drillChild runs until killed: four cards, each worked by its own
// goroutine, every commit it was told of printed.
func drillChild(path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		fmt.Println("fatal open:", err)
		os.Exit(1)
	}
	cfg := members.DefaultConfig()
	cfg.TopUps = []members.TopUp{{MoneyPrice: "50.00", Price: "45.00", BonusPoints: 5}}
	l := members.New(db, cfg)
	var mu sync.Mutex
	say := func(format string, args ...any) { mu.Lock(); fmt.Printf(format+"\n", args...); mu.Unlock() }
	topUp := func(customer string, i int) (int64, bool) {
		d, err := l.CreateDeposit(ctx, 1, customer, "wechat", "50", "45", time.Hour)
		if err != nil {
			return 0, false
		}
		ok, err := l.DepositPaid(ctx, d.ID, "T-"+customer+"-"+strconv.Itoa(i), time.Now())
		return d.ID, ok && err == nil
	}
	var wg sync.WaitGroup
	for w := range 4 {
		customer := fmt.Sprintf("c%d", w)
		if _, err := l.Open(ctx, 1, customer); err != nil {
			fmt.Println("fatal card:", err)
			os.Exit(1)
		}
		wg.Go(func() {
			for i := range 10 { // a float to pay from
				topUp(customer, -1-i)
			}
			for i := 0; ; i++ {
				if i%4 == 0 {
					if id, ok := topUp(customer, i); ok && i%8 == 0 {
						if _, err := l.RefundTopUp(ctx, id, "staff:drill", "drill"); err == nil {
							say("refunded D%d", id)
						}
					}
				}
				ref := fmt.Sprintf("%s-%d", customer, i)
				if _, err := l.Pay(ctx, 1, customer, "", 730, ref, nil); err == nil {
					say("paid %s", ref)
				}
				if i%7 == 0 {
					_ = db.Write(ctx, func(tx *store.Tx) error { _, err := members.RefundInTx(tx, ref, "staff:drill"); return err })
				}
			}
		})
	}
	wg.Wait()
}
