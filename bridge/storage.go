package bridge

import (
	"context"
	"errors"
	"time"

	"github.com/posbridge/posbridge/store"
)

// CheckDeferredStorage runs the quick_check that store.Open left for after
// the start (a large file) while the daemon already answers pushes; damage
// found is raised as the first damage error of a query would be. It returns
// when the check is done or ctx ends.
func (b *Bridge) CheckDeferredStorage(ctx context.Context) {
	if !b.db.DeferredIntegrity() {
		return
	}
	start := time.Now()
	err := b.db.QuickCheck(ctx)
	switch {
	case err == nil:
		b.log.Info("database checked", "took", time.Since(start).Round(time.Millisecond))
	case ctx.Err() == nil:
		b.NoteStorageError(err)
	}
}

// NoteStorageError looks at an error the database gave. The first one that
// says the file is damaged ("database disk image is malformed") runs
// quick_check and raises a critical problem with what to do: before, the
// order list answered 500 and only doctor noticed. A restart checks again.
func (b *Bridge) NoteStorageError(err error) {
	if !store.IsCorrupt(err) || !b.damaged.CompareAndSwap(false, true) {
		return
	}
	b.log.Error("the database is damaged: orders may not be saved; restore the newest backup", "err", err)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		detail := err.Error()
		var ce *store.CorruptError
		if qerr := b.db.QuickCheck(ctx); errors.As(qerr, &ce) {
			detail = ce.Detail
		}
		b.RaiseProblem("database_damaged", LevelCritical, "数据库已损坏",
			"数据库文件 "+b.db.Path()+" 已损坏（"+detail+"），新订单可能无法保存，请立即联系安装人员："+
				"停止 posbridge，运行 `posbridge restore` 恢复最近的自动备份（在 backup.dir），再启动 posbridge；"+
				"`posbridge doctor` 会说明。")
	}()
}
