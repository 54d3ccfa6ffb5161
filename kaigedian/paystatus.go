package kaigedian

// PayStatusPartlyRefunded is payStatus 4 (部分退款, §5.6). Neither the refund
// push nor queryRefundOrders carries a refunded amount or the refunded
// items: only the platform's back office shows them.
const PayStatusPartlyRefunded = 4
