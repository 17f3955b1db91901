// The recording player: highlights the word being heard, seeks on a click on a word or on
// the waveform, and moves the waveform cursor. No inline code: the CSP forbids it.
(function () {
  "use strict";
  var player = document.getElementById("player");
  if (!player) { return; }
  var words = Array.prototype.slice.call(document.querySelectorAll("#transcript .w[data-start]"));
  var times = words.map(function (w) { return [parseFloat(w.dataset.start), parseFloat(w.dataset.end)]; });
  var wave = document.getElementById("wave");
  var cursor = document.getElementById("cursor");
  var current = null;

  function wordAt(t) {  // binary search: words are in time order
    var lo = 0, hi = times.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (times[mid][0] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t < times[found][1] + 0.25 ? words[found] : null;
  }

  function duration() {
    return isFinite(player.duration) && player.duration > 0 ? player.duration
      : parseFloat(wave.querySelector("img").dataset.duration) || 1;
  }

  function update() {
    var word = wordAt(player.currentTime);
    if (word !== current) {
      if (current) { current.classList.remove("current"); }
      if (word) {
        word.classList.add("current");
        var box = word.getBoundingClientRect();
        if (box.top < 80 || box.bottom > window.innerHeight - 20) { word.scrollIntoView({block: "center"}); }
      }
      current = word;
    }
    if (cursor) { cursor.style.left = (100 * player.currentTime / duration()) + "%"; }
  }

  function seek(t) {
    player.currentTime = t;
    update();
    player.play();
  }

  player.addEventListener("timeupdate", update);
  player.addEventListener("seeked", update);
  words.forEach(function (w, i) {
    w.addEventListener("click", function () { seek(times[i][0]); });
  });
  if (wave) {
    wave.addEventListener("click", function (event) {
      var box = wave.getBoundingClientRect();
      seek((event.clientX - box.left) / box.width * duration());
    });
  }
})();
