// Touch keypad for the PIN on tablets; the form works without it.
(function () {
  'use strict';
  var pin = document.getElementById('pin');
  var pad = document.getElementById('keypad');
  if (!pin || !pad) return;
  pad.hidden = false;
  pad.addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-key]');
    if (!b || pin.disabled) return;
    var k = b.getAttribute('data-key');
    if (k === 'clear') pin.value = '';
    else if (k === 'back') pin.value = pin.value.slice(0, -1);
    else pin.value += k;
    pin.focus();
  });
})();
