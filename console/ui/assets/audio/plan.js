// The sound plan of the alerts: which embedded clips play, in which order,
// for each event the console and the pickup screen announce. It only says
// what to play; the pages play it (Web Audio) and fall back to the browser's
// voice with `text` when `voice` is null or a clip fails to load.
//
// Pickup numbers are read digit by digit (1003 → 一零零三号): they are codes
// printed on the ticket, not amounts; a leading zero ("0023") must be heard;
// and ten digit clips need no rules for 十/百/千 and 零 that the clip
// boundaries would break. Anything other than digits, or a number longer
// than MAX_SPOKEN_DIGITS (an order code, not a pickup number), is not read
// by the clips: `voice` is then null and `text` still names it.

// Where the clips are served (console/ui/assets/audio/ on the daemon).
export const AUDIO_BASE = '/assets/audio/';

// Every clip by name: the file and what it says or sounds like.
export const CLIPS = Object.freeze({
  chime: { file: 'chime.ogg', says: '(新订单提示音)' },
  remind: { file: 'remind.ogg', says: '(备餐提醒提示音)' },
  dingdong: { file: 'dingdong.ogg', says: '(叫号提示音)' },
  alert: { file: 'alert.ogg', says: '(警示音)' },
  new_order: { file: 'new_order.ogg', says: '新订单' },
  hao: { file: 'hao.ogg', says: '号' },
  cancel_order: { file: 'cancel_order.ogg', says: '取消订单' },
  refund: { file: 'refund.ogg', says: '申请退款' },
  prep_remind: { file: 'prep_remind.ogg', says: '备餐提醒' },
  qing: { file: 'qing.ogg', says: '请' },
  guest_pickup: { file: 'guest_pickup.ogg', says: '顾客取餐' },
  printer_fault: { file: 'printer_fault.ogg', says: '打印机故障，请检查' },
  d0: { file: 'd0.ogg', says: '零' },
  d1: { file: 'd1.ogg', says: '一' },
  d2: { file: 'd2.ogg', says: '二' },
  d3: { file: 'd3.ogg', says: '三' },
  d4: { file: 'd4.ogg', says: '四' },
  d5: { file: 'd5.ogg', says: '五' },
  d6: { file: 'd6.ogg', says: '六' },
  d7: { file: 'd7.ogg', says: '七' },
  d8: { file: 'd8.ogg', says: '八' },
  d9: { file: 'd9.ogg', says: '九' },
});

// The events, as the pages name them.
export const EVENTS = Object.freeze([
  'new_order', // every new order, accepted automatically or waiting for staff
  'cancel', // the customer or the platform cancelled an order
  'refund_request', // the customer asks for a refund
  'prep_remind', // 备餐提醒: the platform asks the store to start a reserved order
  'made', // the pickup screen calls the customer
  'printer_fault', // a printer stopped (offline, no paper, cover open)
]);

// The longest pickup number the clips read.
export const MAX_SPOKEN_DIGITS = 6;

// Pauses when played: after the sound before the voice, and between voice
// clips (each clip already has 30 ms of silence at both ends).
export const SOUND_TO_VOICE_SECONDS = 0.25;
export const CLIP_GAP_SECONDS = 0.02;

// clipURL gives where a clip is served.
export function clipURL(name) {
  const c = CLIPS[name];
  if (!c) throw new Error('unknown clip ' + name);
  return AUDIO_BASE + c.file;
}

function pickupText(pickup) {
  return pickup == null ? '' : String(pickup).trim();
}

// numberClips reads a pickup number digit by digit, ending with 号; null when
// the clips cannot say it, [] when there is no number.
export function numberClips(pickup) {
  const p = pickupText(pickup);
  if (p === '') return [];
  if (p.length > MAX_SPOKEN_DIGITS || !/^[0-9]+$/.test(p)) return null;
  return [...p].map((d) => 'd' + d).concat('hao');
}

// plan says what to play for an event: `sound` (a clip name, always there),
// `voice` (clip names in order, or null when the clips cannot say it) and
// `text` (the same sentence for the browser's voice). An unknown event
// throws: a page must not go silent because of a typo.
export function plan(event, { pickup } = {}) {
  const p = pickupText(pickup);
  const num = numberClips(p);
  const spoken = p.length > MAX_SPOKEN_DIGITS ? '' : p; // an order code is not read out
  const no = spoken ? spoken + '号' : '';
  // voice is null when there is a number to say that the clips cannot say.
  const voice = (...parts) => (num === null && spoken ? null : parts.flat());
  switch (event) {
    case 'new_order':
      return { sound: 'chime', voice: voice('new_order', num ?? []), text: no ? '新订单，' + no : '新订单' };
    case 'cancel':
      return { sound: 'alert', voice: voice(num ?? [], 'cancel_order'), text: no + '取消订单' };
    case 'refund_request':
      return { sound: 'alert', voice: voice(num ?? [], 'refund'), text: no + '申请退款' };
    case 'prep_remind':
      return { sound: 'remind', voice: voice(num ?? [], 'prep_remind'), text: no + '备餐提醒' };
    case 'made':
      return { sound: 'dingdong', voice: voice('qing', num ?? [], 'guest_pickup'), text: '请' + no + '顾客取餐' };
    case 'printer_fault':
      return { sound: 'alert', voice: ['printer_fault'], text: '打印机故障，请检查' };
    default:
      throw new Error('unknown sound event ' + event);
  }
}

// clipsOf lists every clip a plan plays, sound first.
export function clipsOf(p) {
  return [p.sound, ...(p.voice ?? [])];
}
