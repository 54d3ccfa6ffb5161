package app

import (
	"log/slog"

	"github.com/posbridge/posbridge/bridge"
	"github.com/posbridge/posbridge/config"
	"github.com/posbridge/posbridge/push"
)

// refusePushes is the start of a store whose push listener is open to the
// network with nothing to authenticate pushes by (an upgrade from a version
// that only warned): anyone there could cancel paid orders. The daemon
// starts anyway, refuses every push (the platform's too), and the poller,
// seeing no pushes, fetches orders at its fast interval; the console and
// doctor say what to set.
func refusePushes(recv *push.Receiver, b *bridge.Bridge, cfg *config.Config, log *slog.Logger) {
	recv.RefuseAll = "push listener " + cfg.Push.Listen + " is open to the network without authentication: " +
		"the store must set push.token or platform.public_key_file"
	log.Error("push.listen is reachable from other machines but pushes are not authenticated: every push is refused and orders are polled until push.token or platform.public_key_file is set",
		"listen", cfg.Push.Listen)
	b.RaiseProblem("push_auth", bridge.LevelCritical, "推送未验证，已改为轮询",
		"推送地址 "+cfg.Push.Listen+" 对局域网开放，却没有设置验证（push.token 或 platform.public_key_file）："+
			"任何人都能伪造推送取消订单，所以所有推送都被拒收，订单改为轮询获取（会慢几秒）。"+
			"请安装人员在 posbridge.yaml 中设置 push.token（并加到在开个店登记的推送地址上）或 platform.public_key_file，然后重启 posbridge；"+
			"`posbridge doctor` 会说明。")
}
