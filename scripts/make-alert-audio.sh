#!/usr/bin/env bash
# Regenerates the console's alert clips in console/ui/assets/audio/: the
# spoken phrases and digits (espeak-ng, Mandarin) and four short sounds (sox).
# Run by hand when a phrase changes; the build and CI never run it, they use
# the committed files. Needs: apt-get install espeak-ng sox opus-tools
#
#   scripts/make-alert-audio.sh [OUTDIR]
#
# The voice is cmn-latn-pinyin, not plain cmn: Debian's espeak-ng 1.51 plain
# cmn turns hanzi into pinyin and then reads the pinyin with English rules
# ("新" comes out as "zin one"); the pinyin variant reads the same pinyin as
# Mandarin (check with: espeak-ng -v cmn-latn-pinyin -q -x 新订单).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/console/ui/assets/audio}
for tool in espeak-ng sox opusenc; do
    command -v "$tool" >/dev/null || { echo "make-alert-audio: $tool is missing (apt-get install espeak-ng sox opus-tools)" >&2; exit 1; }
done
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# sx is sox without dither and with fixed seeds, so a rerun gives the same bytes.
sx() { sox -R -D "$@"; }

voice=cmn-latn-pinyin
rate=150     # words per minute; espeak's 175 is hurried for Mandarin
bitrate=20   # kbit/s Opus: clear speech at 16 kHz mono, about 2.5 KB a second

# encode WAV NAME: 16 kHz mono, peak at -1 dB, Ogg/Opus with a fixed stream
# serial and no reserved tag space, so a rerun gives the same bytes.
encode() {
    sx "$1" -r 16000 -c 1 -b 16 "$tmp/$2.16k.wav" norm -1
    opusenc --quiet --bitrate "$bitrate" --serial 1 --padding 0 \
        --comment TITLE="$2" "$tmp/$2.16k.wav" "$out/$2.ogg"
}

# speak NAME TEXT: the phrase with leading and trailing silence cut to 30 ms,
# so clips played one after another sound like one sentence.
speak() {
    espeak-ng -v "$voice" -s "$rate" -w "$tmp/$1.raw.wav" "$2"
    sx "$tmp/$1.raw.wav" "$tmp/$1.wav" \
        silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse pad 0.03 0.03
    encode "$tmp/$1.wav" "$1"
}

# Phrases. File names are ASCII so URLs and the plan stay simple.
speak new_order     新订单
speak hao           号
speak cancel_order  取消订单
speak refund        申请退款
speak prep_remind   备餐提醒
speak qing          请
speak guest_pickup  顾客取餐
speak printer_fault 打印机故障，请检查
# Digits, read one by one (1003 is 一零零三): see README.md for why.
digits=(零 一 二 三 四 五 六 七 八 九)
for d in "${!digits[@]}"; do
    speak "d$d" "${digits[$d]}"
done

# Sounds. note FILE SECONDS FREQ: one bell-like note (fast attack, long decay).
note() {
    sx -n -r 16000 -c 1 -b 16 "$1" synth "$2" sine "$3" fade q 0.005 "$2" "$(awk "BEGIN { print $2 * 0.9 }")" gain -3
}
# chime (new order): a bright rising pair, C6 then G6.
note "$tmp/c1.wav" 0.35 1046.5
note "$tmp/c2.wav" 0.6 1568
sx "$tmp/c1.wav" "$tmp/c2.wav" "$tmp/chime.wav"
encode "$tmp/chime.wav" chime
# remind (备餐提醒): three quick level pips, clearly not the chime.
sx -n -r 16000 -c 1 -b 16 "$tmp/pip.wav" synth 0.09 triangle 880 fade q 0.005 0.09 0.03 pad 0 0.07
sx "$tmp/pip.wav" "$tmp/pip.wav" "$tmp/pip.wav" "$tmp/remind.wav"
encode "$tmp/remind.wav" remind
# dingdong (pickup call on the pickup screen): the falling pair, E5 then C5.
note "$tmp/g1.wav" 0.45 659.3
note "$tmp/g2.wav" 0.8 523.3
sx "$tmp/g1.wav" "$tmp/g2.wav" "$tmp/dingdong.wav"
encode "$tmp/dingdong.wav" dingdong
# alert (cancel, refund, printer fault): two low falling square beeps.
sx -n -r 16000 -c 1 -b 16 "$tmp/a1.wav" synth 0.18 square 587 fade q 0.005 0.18 0.04 gain -12 pad 0 0.06
sx -n -r 16000 -c 1 -b 16 "$tmp/a2.wav" synth 0.28 square 440 fade q 0.005 0.28 0.08 gain -12
sx "$tmp/a1.wav" "$tmp/a2.wav" "$tmp/alert.wav"
encode "$tmp/alert.wav" alert

du -cb "$out"/*.ogg | tail -1 | awk '{print "make-alert-audio: " $1 " bytes of clips in '"$out"'"}'
