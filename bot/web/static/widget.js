/* Klik chat widget (first version). Plain JavaScript, no third-party requests.
   Every text is inserted as text, never as HTML. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = script ? new URL(script.src, location.href).origin : location.origin;
  var KEY = "klik.sender";

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }
  var sender = sessionStorage.getItem(KEY) || uuid4();
  sessionStorage.setItem(KEY, sender);

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  var style = el("style");
  style.textContent =
    ".klik-launch{position:fixed;right:1rem;bottom:1rem;padding:.8rem 1.2rem;font-size:1.1rem;" +
    "background:#1d4f91;color:#fff;border:0;border-radius:2rem;cursor:pointer;z-index:2147483000}" +
    ".klik-panel{position:fixed;right:1rem;bottom:4.5rem;width:min(24rem,calc(100vw - 2rem));" +
    "height:min(32rem,calc(100vh - 6rem));display:flex;flex-direction:column;background:#fff;color:#1b1b1b;" +
    "border:1px solid #888;border-radius:.5rem;font:16px/1.4 system-ui,sans-serif;z-index:2147483000}" +
    ".klik-panel[hidden]{display:none}.klik-log{flex:1;overflow:auto;padding:.5rem}" +
    ".klik-msg{margin:.3rem 0;padding:.5rem .7rem;border-radius:.5rem;max-width:85%}" +
    ".klik-bot{background:#eef2f8}.klik-user{background:#1d4f91;color:#fff;margin-left:auto}" +
    ".klik-btn{display:inline-block;margin:.2rem;padding:.5rem .8rem;font-size:1rem;border:2px solid #1d4f91;" +
    "background:#fff;color:#1d4f91;border-radius:1rem;cursor:pointer}" +
    ".klik-form{display:flex;border-top:1px solid #888}.klik-form input{flex:1;padding:.6rem;font-size:1rem;border:0}" +
    ".klik-form button{padding:.6rem 1rem;font-size:1rem;background:#1d4f91;color:#fff;border:0}";
  document.head.appendChild(style);

  var launch = el("button", { "class": "klik-launch", "aria-expanded": "false", "aria-controls": "klik-panel" }, "Vraag het aan Klik");
  var panel = el("div", { "class": "klik-panel", id: "klik-panel", role: "dialog", "aria-label": "Chat met Klik" });
  panel.hidden = true;
  var log = el("div", { "class": "klik-log", role: "log", "aria-live": "polite" });
  var form = el("form", { "class": "klik-form" });
  var input = el("input", { type: "text", "aria-label": "Je bericht", maxlength: "1000", autocomplete: "off" });
  var send = el("button", { type: "submit" }, "Stuur");
  form.appendChild(input); form.appendChild(send);
  panel.appendChild(log); panel.appendChild(form);
  document.body.appendChild(launch); document.body.appendChild(panel);

  function show(text, who) {
    var m = el("div", { "class": "klik-msg klik-" + who }, text);
    log.appendChild(m); log.scrollTop = log.scrollHeight;
    return m;
  }

  // Shows what the person chose or typed; sends the payload (a button's) or the text.
  function talk(text, payload) {
    show(text, "user");
    fetch(base + "/api/chat", {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ sender: sender, message: payload || text })
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (messages) {
      messages.forEach(function (msg) {
        var m = show(msg.text || "", "bot");
        (msg.buttons || []).forEach(function (b) {
          var btn = el("button", { type: "button", "class": "klik-btn" }, b.title);
          btn.addEventListener("click", function () { talk(b.title, b.payload); });
          m.appendChild(el("br")); m.appendChild(btn);
        });
      });
    }).catch(function () {
      show("Klik is even niet bereikbaar. Probeer het zo opnieuw.", "bot");
    });
  }

  launch.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    launch.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) {
      input.focus();
      if (!log.firstChild) talk("hallo");
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (text) { input.value = ""; talk(text); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { panel.hidden = true; launch.setAttribute("aria-expanded", "false"); launch.focus(); }
  });
})();
