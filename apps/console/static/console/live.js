/* Staff console, live parts: the emergency board and chat inbox follow the staff feed
   (/ws/staff/), a conversation follows its room (/ws/chat/<id>/), countdowns tick, and a new
   emergency flashes and beeps. Sockets sign in with the console's session cookie (same origin).
   Everything here is an extra: without it the pages work by reloading and posting forms. */
(function () {
  "use strict";

  var SOUND_KEY = "console-sound";
  var audio = null;
  var status = document.getElementById("live-status");

  function socketUrl(path) {
    return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + path;
  }

  function showStatus(live) {
    document.documentElement.dataset.live = live ? "on" : "off";
    if (!status) return;
    status.textContent = live ? status.dataset.live : status.dataset.lost;
    status.hidden = false;
    status.classList.toggle("lost", !live);
  }

  /* A socket that comes back after a drop (not after a refusal: 4401/4403/4404 are final);
     ``onReopen`` catches up on what was said while it was away. */
  function follow(path, onFrame, onReopen) {
    var wait = 1000;
    var opened = false;
    function open() {
      var socket = new WebSocket(socketUrl(path));
      socket.onopen = function () {
        wait = 1000;
        showStatus(true);
        if (opened && onReopen) onReopen();
        opened = true;
      };
      socket.onmessage = function (event) {
        var frame;
        try { frame = JSON.parse(event.data); } catch (e) { return; }
        onFrame(frame, socket);
      };
      socket.onclose = function (event) {
        showStatus(false);
        if (event.code >= 4400 && event.code < 4500 && event.code !== 4408) return;
        setTimeout(open, wait);
        wait = Math.min(wait * 2, 30000);
      };
    }
    open();
  }

  /* Replace a region with the same region of the page as the server renders it now. */
  function refresh(id) {
    return fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById(id);
        var here = document.getElementById(id);
        if (fresh && here) here.innerHTML = fresh.innerHTML;
        tick();
      });
  }

  /* ---- sound: one user gesture unlocks audio; the choice is remembered ---- */
  function soundOn() { return localStorage.getItem(SOUND_KEY) === "on"; }

  function unlock() {
    if (!audio) {
      var Context = window.AudioContext || window.webkitAudioContext;
      if (!Context) return;
      audio = new Context();
    }
    if (audio.state === "suspended") audio.resume();
  }

  function beep() {
    if (!soundOn() || !audio) return;
    [0, 0.35, 0.7].forEach(function (at) {
      var tone = audio.createOscillator();
      var gain = audio.createGain();
      tone.type = "square";
      tone.frequency.value = 880;
      gain.gain.value = 0.15;
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(audio.currentTime + at);
      tone.stop(audio.currentTime + at + 0.2);
    });
  }

  function soundButton() {
    var button = document.getElementById("sound-toggle");
    if (!button) return;
    function label() {
      button.textContent = soundOn() ? button.dataset.on : button.dataset.off;
      button.setAttribute("aria-pressed", soundOn() ? "true" : "false");
    }
    button.hidden = false;
    label();
    button.addEventListener("click", function () {
      localStorage.setItem(SOUND_KEY, soundOn() ? "off" : "on");
      if (soundOn()) { unlock(); beep(); }
      label();
    });
    if (soundOn()) document.addEventListener("pointerdown", unlock, { once: true });
  }

  function alertNew() {
    var banner = document.getElementById("live-alert");
    if (banner) {
      banner.hidden = false;
      banner.classList.remove("flash");
      void banner.offsetWidth; /* restart the animation */
      banner.classList.add("flash");
    }
    beep();
  }

  /* ---- countdowns to escalation ---- */
  function tick() {
    var now = Date.now();
    document.querySelectorAll(".countdown[data-deadline]").forEach(function (node) {
      var left = Math.round((Date.parse(node.dataset.deadline) - now) / 1000);
      if (left <= 0) {
        node.textContent = node.dataset.escalated;
        node.classList.add("late");
        return;
      }
      var seconds = String(left % 60);
      node.textContent = node.dataset.label + " " + Math.floor(left / 60) + ":" +
        (seconds.length < 2 ? "0" + seconds : seconds);
    });
  }

  /* ---- one conversation ---- */
  function chatRoom(log) {
    var citizen = log.dataset.citizen;
    follow("/ws/chat/" + log.dataset.room + "/", function (frame, socket) {
      if (frame.type !== "message" || log.querySelector('[data-message="' + frame.id + '"]')) return;
      var empty = document.getElementById("no-messages");
      if (empty) empty.remove();
      var item = document.createElement("li");
      item.className = "msg " + (frame.sender_id === citizen ? "from-citizen" : "from-staff");
      item.dataset.message = frame.id;
      var who = document.createElement("span");
      who.className = "who";
      who.textContent = frame.sender_name;
      var when = document.createElement("time");
      when.dateTime = frame.created_at;
      when.textContent = new Date(frame.created_at).toLocaleString(document.documentElement.lang,
        { dateStyle: "medium", timeStyle: "short" });
      var text = document.createElement("p");
      text.className = "text";
      text.textContent = frame.message_type === "text" ? frame.message
        : (frame.message_type === "image" ? log.dataset.photo : log.dataset.document);
      item.append(who, " ", when, text);
      log.appendChild(item);
      item.scrollIntoView({ block: "nearest" });
      if (frame.sender_id === citizen) socket.send(JSON.stringify({ type: "read" }));
    });
  }

  var board = document.getElementById("emergency-board");
  var inbox = document.getElementById("chat-inbox");
  var log = document.getElementById("chat-log");
  var queueBanner = document.getElementById("queue-banner");

  soundButton();
  tick();
  if (document.querySelector(".countdown[data-deadline]") || board) setInterval(tick, 1000);
  if (board || inbox) {
    follow("/ws/staff/", function (frame) {
      if (board && frame.type === "emergency.created") {
        refresh("emergency-board").then(alertNew);
      } else if (inbox && frame.type === "chat.waiting") {
        refresh("chat-inbox");
      }
    }, function () { refresh(board ? "emergency-board" : "chat-inbox"); });
  }
  if (log && log.dataset.live === "on") chatRoom(log);
  if (queueBanner) {
    follow("/ws/staff/", function (frame) {
      if (frame.type === "complaint.created") queueBanner.hidden = false;
    });
  }
})();
