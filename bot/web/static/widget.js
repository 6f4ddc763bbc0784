/* Klik chat widget. Embed with one tag:
 *   <script src="https://klik.example/widget.js" defer
 *     data-title="Klik" data-subtitle="Vrije tijd voor iedereen" data-accent="#1d4f91"
 *     data-municipality="44021" data-open="false" data-position="right"></script>
 * Plain JavaScript, no framework, no build step, nothing loaded from a third party.
 * Safety: every text from the person or from Klik is inserted as text (textContent); a small
 * renderer turns **bold**, links and "- " lists into elements. No innerHTML anywhere.
 */
(function () {
  "use strict";
  if (window.KlikWidget) return; // embedded twice: keep the first

  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var base = script ? new URL(script.src, location.href).origin : location.origin;
  var REQUEST_MS = 45000;
  var MAX_HISTORY = 200;
  var DOWN = "Klik is even niet bereikbaar. Probeer het zo opnieuw.";

  var cfg = {
    title: data.title || "Klik",
    subtitle: data.subtitle || "Vrije tijd voor iedereen",
    launcher: data.launcher || "Vraag het aan " + (data.title || "Klik"),
    accent: readableAccent(data.accent),
    municipality: /^\d{5}$/.test(data.municipality || "") ? data.municipality : "",
    open: data.open === "true",
    left: data.position === "left"
  };

  /* ---------- colour: white text on the accent must reach 4.5:1 ---------- */
  function luminance(rgb) {
    var c = rgb.map(function (v) {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  function readableAccent(value) {
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec((value || "").trim());
    if (!m) return "#1d4f91";
    var hex = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    var rgb = [0, 2, 4].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
    // Darken step by step until the contrast with white is enough.
    while (1.05 / (luminance(rgb) + 0.05) < 4.6) {
      rgb = rgb.map(function (v) { return Math.floor(v * 0.9); });
    }
    return "#" + rgb.map(function (v) { return (v + 256).toString(16).slice(1); }).join("");
  }

  /* ---------- storage: sessionStorage, so closing the browser forgets ---------- */
  var store = {
    get: function (key) {
      try { return JSON.parse(sessionStorage.getItem("klik." + key)); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { sessionStorage.setItem("klik." + key, JSON.stringify(value)); } catch (e) { /* private mode: memory only */ }
    }
  };

  function uuid4() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  // The conversation: sender id, messages shown, and the number of the next bot message.
  var state = store.get("state");
  if (!state || !state.sender || !Array.isArray(state.history)) state = fresh();
  function fresh() { return { sender: uuid4(), history: [], next: 0 }; }
  function save() {
    if (state.history.length > MAX_HISTORY) state.history = state.history.slice(-MAX_HISTORY);
    store.set("state", state);
  }

  /* ---------- DOM helpers: text only ---------- */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") e.textContent = attrs[k];
      else if (k === "class") e.className = attrs[k];
      else if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
    });
    return e;
  }
  function srText(text) { return el("span", { "class": "sr", text: text }); }

  // Icons as SVG paths (emoji fonts are missing on many computers); always decorative.
  var ICONS = {
    chat: "M4 5h16v11H9l-5 4z",
    speak: "M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11",
    stop: "M7 7h10v10H7z",
    up: "M7 11v9H4v-9zM7 11l4-7c1.5 0 2.5 1 2.5 2.5V10h5a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 17.3 20H7",
    close: "M6 6l12 12M18 6L6 18",
    more: "M4 7h16M4 12h16M4 17h16"
  };
  function icon(name, flip) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    var path = document.createElementNS(ns, "path");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    path.setAttribute("d", ICONS[name]);
    if (flip) path.setAttribute("transform", "matrix(1 0 0 -1 0 24)"); // thumbs down
    svg.appendChild(path);
    return svg;
  }
  function label(button, iconName, text) {
    button.textContent = "";
    button.appendChild(icon(iconName));
    button.appendChild(document.createTextNode(text));
  }

  /* ---------- the safe renderer: **bold**, links, "- " lists ---------- */
  var SCHEMES = ["http:", "https:", "mailto:", "tel:"];
  function safeUrl(href) {
    try {
      var url = new URL(href);
      return SCHEMES.indexOf(url.protocol) >= 0 ? url.href : null;
    } catch (e) { return null; }
  }
  function link(label, href) {
    var url = safeUrl(href);
    if (!url) return document.createTextNode(label);
    var a = el("a", { href: url, rel: "noopener noreferrer", text: label });
    if (/^https?:/.test(url)) {
      a.target = "_blank";
      a.appendChild(srText(" (opent in een nieuw venster)"));
    }
    return a;
  }
  // **bold** | [label](url, may hold one pair of brackets) | a bare http(s), mailto or tel link
  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)|((?:https?:\/\/|mailto:|tel:)[^\s<>()]+)/g;
  function inline(parent, text) {
    var last = 0, m;
    INLINE.lastIndex = 0;
    while ((m = INLINE.exec(text))) {
      parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      if (m[1]) parent.appendChild(el("strong", { text: m[1] }));
      else if (m[2]) parent.appendChild(link(m[2], m[3]));
      else {
        // A sentence's full stop is not part of a bare link.
        var raw = m[4].replace(/[.,;:!?]+$/, "");
        parent.appendChild(link(raw, raw));
        parent.appendChild(document.createTextNode(m[4].slice(raw.length)));
      }
      last = INLINE.lastIndex;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }
  function rich(parent, text) {
    var list = null, para = null;
    String(text).split(/\r?\n/).forEach(function (line) {
      var item = /^\s*[-•]\s+(.*)$/.exec(line);
      if (item) {
        if (!list) { list = el("ul"); parent.appendChild(list); }
        para = null;
        var li = el("li");
        inline(li, item[1]);
        list.appendChild(li);
        return;
      }
      list = null;
      if (!line.trim()) { para = null; return; }
      if (para) para.appendChild(el("br"));
      else { para = el("p"); parent.appendChild(para); }
      inline(para, line);
    });
  }
  function plain(text) {
    return String(text).replace(/\*\*([^*]+)\*\*/g, "$1").replace(/\[([^\]]+)\]\(((?:[^()\s]|\([^()\s]*\))+)\)/g, "$1");
  }

  /* ---------- speech: "Lees voor" with a Dutch voice ---------- */
  var canSpeak = !!window.speechSynthesis && typeof window.SpeechSynthesisUtterance === "function";
  var speaking = null;
  function voiceFor(code) {
    var voices = speechSynthesis.getVoices();
    var pick = function (re) { return voices.filter(function (v) { return re.test(v.lang); })[0]; };
    if (code) return pick(new RegExp("^" + code + "([-_]|$)", "i")) || null;
    return pick(/^nl[-_]BE/i) || pick(/^nl/i) || null;
  }
  function dutchVoice() { return voiceFor(null); }
  function stopSpeaking() {
    if (!speaking) return;
    label(speaking, "speak", "Lees voor");
    speaking.setAttribute("aria-pressed", "false");
    speaking = null;
    speechSynthesis.cancel();
  }
  // `lang` is set on an answer in another language: read it with a voice of that language.
  function speak(button, text, lang) {
    var again = speaking === button;
    stopSpeaking();
    if (again) return;
    var u = new SpeechSynthesisUtterance(plain(text));
    u.lang = lang || "nl-BE";
    u.voice = voiceFor(lang);
    u.rate = 0.9;
    u.onend = u.onerror = function () { if (speaking === button) stopSpeaking(); };
    speaking = button;
    label(button, "stop", "Stop met voorlezen");
    button.setAttribute("aria-pressed", "true");
    speechSynthesis.speak(u);
  }

  /* ---------- the widget's DOM, in a shadow root ---------- */
  var host = el("klik-chat");
  var shadow = host.attachShadow({ mode: "open" });
  var root = el("div", { "class": "root" + (cfg.left ? " left" : "") });
  root.style.setProperty("--accent", cfg.accent);
  root.style.display = "none"; // until our stylesheet is in
  var css = el("link", { rel: "stylesheet", href: base + "/static/widget.css" });
  css.onload = css.onerror = function () { root.style.display = ""; };

  var launch = el("button", {
    type: "button", "class": "launch", "aria-expanded": "false", "aria-controls": "klik-panel"
  }, [icon("chat"), cfg.launcher]);

  var closeBtn = el("button", { type: "button", "class": "head-btn", "aria-label": "Sluit de chat" }, [icon("close"), "Sluit"]);
  // The less frequent tools sit behind "Meer", so the conversation keeps its room on a phone.
  var moreBtn = el("button", { type: "button", "class": "head-btn", "aria-expanded": "false", "aria-controls": "klik-tools" },
    [icon("more"), "Meer"]);
  var sizeBtn = el("button", { type: "button", "class": "tool", "aria-pressed": "false", text: "Tekst groter" });
  var newBtn = el("button", { type: "button", "class": "tool", text: "Nieuw gesprek" });
  var forgetBtn = el("button", { type: "button", "class": "tool", text: "Verwijder mijn gesprek" });
  var confirmQ = el("p", { id: "klik-confirm-q", tabindex: "-1", text: "Wil je dit gesprek verwijderen? Klik bewaart het dan niet meer." });
  var confirmYes = el("button", { type: "button", "class": "tool", text: "Ja, verwijder" });
  var confirmNo = el("button", { type: "button", "class": "tool", text: "Nee, niet verwijderen" });
  var confirmBox = el("div", { "class": "confirm", role: "group", "aria-labelledby": "klik-confirm-q", hidden: "" },
    [confirmQ, el("div", { "class": "row" }, [confirmYes, confirmNo])]);

  // role="log" is polite: new bot messages are read out. The person's own messages are marked
  // aria-live="off", so a screen reader does not repeat what they just typed.
  var log = el("div", { "class": "log", role: "log", "aria-live": "polite", "aria-label": "Gesprek met " + cfg.title, tabindex: "0" },
    [el("p", { "class": "intro", text: "Klik is een computer, geen mens. Schrijf geen naam, adres of telefoonnummer." })]);
  var typing = el("div", { "class": "typing", "aria-hidden": "true", hidden: "" },
    [el("span", { "class": "dots" }, [el("i"), el("i"), el("i")]), cfg.title + " schrijft…"]);
  log.appendChild(typing);

  var input = el("input", {
    id: "klik-input", type: "text", maxlength: "1000", autocomplete: "off", enterkeyhint: "send",
    placeholder: "Typ je vraag hier"
  });
  var form = el("form", { "class": "form" }, [
    el("label", { "for": "klik-input", "class": "sr", text: "Je bericht aan " + cfg.title }),
    input,
    el("button", { type: "submit", "class": "send", text: "Stuur" })
  ]);
  var tools = el("div", { id: "klik-tools", "class": "tools", role: "group", "aria-label": "Meer", hidden: "" }, [sizeBtn, newBtn, forgetBtn]);
  var title = el("h2", { id: "klik-title", text: cfg.title });
  var panel = el("div", { id: "klik-panel", "class": "panel", role: "dialog", "aria-labelledby": "klik-title", hidden: "" }, [
    el("div", { "class": "head" }, [el("div", { "class": "titles" }, [title, el("p", { text: cfg.subtitle })]), moreBtn, closeBtn]),
    tools,
    confirmBox,
    log,
    form
  ]);
  root.appendChild(launch);
  root.appendChild(panel);
  shadow.appendChild(css);
  shadow.appendChild(root);

  /* ---------- messages ---------- */
  function scrollTo(top) {
    var smooth = !(window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches);
    if (log.scrollTo) log.scrollTo({ top: top, behavior: smooth ? "smooth" : "auto" });
    else log.scrollTop = top;
  }
  function scrollDown() { scrollTo(log.scrollHeight); }
  // A long answer (cards) is shown from its start, not from its end.
  function scrollToAnswer(first) {
    if (first && log.scrollHeight - first.offsetTop > log.clientHeight) scrollTo(first.offsetTop - 8);
    else scrollDown();
  }
  function add(node) { log.insertBefore(node, typing); return node; }

  function showUser(text) {
    var msg = add(el("div", { "class": "msg user", "aria-live": "off" },
      [el("div", { "class": "bubble" }, [srText("Jij: "), text])]));
    scrollDown();
    return msg;
  }

  function showNote(text, retry) {
    var note = el("div", { "class": "msg note" }, [el("p", { text: text })]);
    if (retry) {
      var again = el("button", { type: "button", "class": "reply retry", text: "Probeer opnieuw" });
      again.addEventListener("click", function () {
        note.remove();
        input.focus();
        retry();
      });
      note.appendChild(el("div", { "class": "row" }, [again]));
    }
    add(note);
    scrollDown();
    return note;
  }

  function feedbackButtons(entry, row) {
    var thanks = el("span", { "class": "thanks" });
    var make = function (value, name) {
      var b = el("button", { type: "button", "class": "act", "aria-label": name, "aria-pressed": String(entry.f === value) },
        [icon("up", value === "down")]);
      b.addEventListener("click", function () { giveFeedback(entry, value, buttons, thanks); });
      return b;
    };
    var buttons = [make("up", "Dit antwoord helpt me"), make("down", "Dit antwoord helpt me niet")];
    buttons.forEach(function (b) { row.appendChild(b); });
    row.appendChild(thanks);
  }

  function offeringCards(offerings) {
    var list = el("ul", { "class": "cards", "aria-label": "Aanbod" });
    offerings.forEach(function (o) {
      if (!o || !o.name) return;
      var card = el("li", { "class": "card" }, [el("h3", { text: String(o.name) })]);
      if (o.summary) card.appendChild(el("p", { text: String(o.summary) }));
      var facts = el("div", { "class": "facts" });
      [["Prijs", price(o.price)], ["Waar", o.where], ["Wanneer", o.when]].forEach(function (f) {
        if (f[1] === null || f[1] === undefined || f[1] === "") return;
        facts.appendChild(el("p", {}, [el("strong", { text: f[0] + ": " }), String(f[1])]));
      });
      if (facts.firstChild) card.appendChild(facts);
      var reasons = Array.isArray(o.reasons) ? o.reasons.filter(Boolean) : [];
      if (reasons.length) {
        card.appendChild(el("p", { "class": "why", text: "Waarom dit bij je past:" }));
        card.appendChild(el("ul", {}, reasons.map(function (r) { return el("li", { text: String(r) }); })));
      }
      if (o.more_payload) {
        var more = el("button", { type: "button", "class": "more" }, ["Meer info", srText(" over " + o.name)]);
        more.addEventListener("click", function () { talk(String(o.more_payload), "Meer info over " + o.name); });
        card.appendChild(more);
      }
      list.appendChild(card);
    });
    return list;
  }
  function price(p) {
    if (typeof p === "number") return p === 0 ? "gratis" : "€ " + p.toFixed(2).replace(".", ",");
    return p;
  }

  // One bot message: text, read-aloud and feedback, offering cards, then the quick replies
  // last, so Shift+Tab from the message field reaches them first.
  function showBot(entry) {
    var msg = el("div", { "class": "msg bot" });
    if (entry.t) {
      var bubble = el("div", { "class": "bubble" }, [srText(cfg.title + ": ")]);
      if (entry.l) {
        // An answer in another language: screen readers pick its voice, Arabic and Persian
        // run right to left. The name in front stays Dutch.
        bubble.setAttribute("lang", entry.l.lang);
        bubble.setAttribute("dir", entry.l.dir);
        bubble.firstChild.setAttribute("lang", "nl");
        bubble.firstChild.setAttribute("dir", "ltr");
      }
      rich(bubble, entry.t);
      msg.appendChild(bubble);
      var acts = el("div", { "class": "acts", "aria-live": "off" });
      if (canSpeak) {
        var say = el("button", { type: "button", "class": "act speak", "aria-pressed": "false" });
        label(say, "speak", "Lees voor");
        say.addEventListener("click", function () { speak(say, entry.t, entry.l && entry.l.lang); });
        acts.appendChild(say);
      }
      feedbackButtons(entry, acts);
      msg.appendChild(acts);
    }
    if (entry.c) msg.appendChild(offeringCards(entry.c.offerings));
    var buttons = (entry.b || []).filter(function (b) { return b && b.title; });
    if (buttons.length) {
      var group = el("div", { "class": "replies", role: "group", "aria-label": "Kies een antwoord" });
      buttons.forEach(function (b) {
        var chosen = entry.a === b.title;
        var btn = el("button", { type: "button", "class": "reply" + (chosen ? " chosen" : "") },
          [chosen ? el("span", { "aria-hidden": "true", text: "✓ " }) : null, String(b.title)]);
        btn.disabled = !!(entry.a || entry.x);
        btn.addEventListener("click", function () { choose(entry, b, group); });
        group.appendChild(btn);
      });
      msg.appendChild(group);
    }
    return add(msg);
  }

  function choose(entry, button, group) {
    if (entry.a) return;
    entry.a = String(button.title);
    Array.prototype.forEach.call(group.children, function (b) {
      b.disabled = true;
      if (b.textContent === entry.a) b.classList.add("chosen");
    });
    save();
    input.focus(); // the pressed button is now disabled: keep the keyboard somewhere useful
    talk(String(button.payload || button.title), entry.a);
  }

  /* ---------- talking to the gateway ---------- */
  var queue = Promise.resolve(); // one request at a time keeps the conversation in order

  function post(path, body) {
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = ctrl && setTimeout(function () { ctrl.abort(); }, REQUEST_MS);
    return fetch(base + path, {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "omit",
      body: JSON.stringify(body), signal: ctrl ? ctrl.signal : undefined
    }).then(function (resp) {
      return resp.json().catch(function () { return null; }).then(function (json) {
        if (resp.ok) return json;
        var err = new Error(String(resp.status));
        err.status = resp.status;
        err.nl = json && json.error && json.error.nl;
        throw err;
      });
    }).finally(function () { if (timer) clearTimeout(timer); });
  }
  function failure(err) {
    // A 400 will not get better by trying again; everything else might.
    var retry = !(err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429);
    // Too many messages (429): say so in the gateway's words, and offer to try again.
    var own = !retry || err.status === 429;
    return { text: (own && err.nl) || DOWN, retry: retry };
  }

  function enqueue(job) {
    queue = queue.then(job, job);
    return queue;
  }

  // Once the person says something, older quick replies belong to the past: switch them off.
  function expireReplies() {
    state.history.forEach(function (e) { if (e.k === "b" && e.b && e.b.length && !e.a) e.x = true; });
    Array.prototype.forEach.call(log.querySelectorAll(".replies .reply"), function (b) { b.disabled = true; });
    save();
  }

  // Send a message; `shown` is what appears as the person's message (null for the greeting).
  function talk(message, shown) {
    if (shown) { expireReplies(); showUser(shown); }
    var attempt = function () {
      return enqueue(function () {
        typing.hidden = false;
        scrollDown();
        var sender = state.sender;
        var body = { sender: sender, message: message };
        if (cfg.municipality) body.metadata = { municipality: cfg.municipality };
        return post("/api/chat", body).then(function (messages) {
          typing.hidden = true;
          if (sender !== state.sender) return; // a new conversation started meanwhile
          if (!Array.isArray(messages)) throw new Error("not a list");
          if (shown) state.history.push({ k: "u", t: shown });
          received(messages);
        }).catch(function (err) {
          typing.hidden = true;
          var f = failure(err);
          showNote(f.text, f.retry ? attempt : null);
        });
      });
    };
    return attempt();
  }

  // {type: "language", language: "ar", direction: "rtl"} marks a text in another language.
  function languageOf(custom) {
    if (!custom || custom.type !== "language" || !/^[a-z]{2,3}$/.test(custom.language)) return null;
    return { lang: custom.language, dir: custom.direction === "rtl" ? "rtl" : "ltr" };
  }

  function received(messages) {
    var entries = [];
    messages.forEach(function (m) {
      if (!m || typeof m !== "object") return;
      var entry = { k: "b", t: typeof m.text === "string" ? m.text : "", b: Array.isArray(m.buttons) ? m.buttons : [],
        c: m.custom && m.custom.type === "offerings" && Array.isArray(m.custom.offerings) ? m.custom : null,
        l: languageOf(m.custom), a: null, f: null };
      var previous = entries[entries.length - 1];
      // Rasa sends an answer's custom part as a message of its own, right after the text.
      if (entry.l && !entry.t && !entry.b.length && previous) { previous.l = entry.l; return; }
      if (!entry.t && !entry.b.length && !entry.c) return; // nothing this widget can show
      entries.push(entry);
    });
    var first = null;
    entries.forEach(function (entry) {
      entry.n = state.next++;
      state.history.push(entry);
      var shown = showBot(entry);
      first = first || shown;
    });
    save();
    if (first) scrollToAnswer(first);
    else showNote("Daar heb ik geen antwoord op. Zeg het eens anders.", null);
  }

  function giveFeedback(entry, value, buttons, thanks) {
    var before = entry.f;
    entry.f = value;
    buttons[0].setAttribute("aria-pressed", String(value === "up"));
    buttons[1].setAttribute("aria-pressed", String(value === "down"));
    save();
    enqueue(function () {
      return post("/api/feedback", { sender: state.sender, message_index: entry.n, value: value, text: entry.t })
        .then(function () { thanks.textContent = "Bedankt!"; })
        .catch(function () {
          entry.f = before;
          buttons[0].setAttribute("aria-pressed", String(before === "up"));
          buttons[1].setAttribute("aria-pressed", String(before === "down"));
          save();
          thanks.textContent = "Niet bewaard. Probeer later opnieuw.";
        });
    });
  }

  /* ---------- conversation care ---------- */
  function clearLog() {
    stopSpeaking();
    Array.prototype.slice.call(log.querySelectorAll(".msg")).forEach(function (n) { n.remove(); });
  }
  var greeting = null;
  function greet() {
    // Klik opens the conversation; the greeting payload is not shown as the person's message.
    if (!greeting) greeting = talk("/greet", null).then(function () { greeting = null; });
  }
  function newConversation(withGreeting) {
    clearLog();
    state = fresh();
    save();
    if (withGreeting) greet();
  }
  function forget() {
    var old = state.sender;
    var attempt = function () {
      return enqueue(function () {
        return post("/api/forget", { sender: old }).then(function () {
          newConversation(false);
          showNote("Je gesprek is verwijderd. Je kan opnieuw beginnen.", null);
        }).catch(function (err) {
          showNote("Verwijderen lukte niet. " + failure(err).text, attempt);
        });
      });
    };
    attempt();
  }

  /* ---------- opening and closing ---------- */
  function isOpen() { return !panel.hidden; }
  function open(focus) {
    panel.hidden = false;
    root.classList.add("open");
    launch.setAttribute("aria-expanded", "true");
    store.set("open", true);
    if (focus !== false) input.focus();
    scrollDown();
    if (!state.history.length && !log.querySelector(".msg")) greet();
  }
  function showTools(show) {
    tools.hidden = !show;
    moreBtn.setAttribute("aria-expanded", String(show));
  }
  function close(returnFocus) {
    stopSpeaking();
    confirmBox.hidden = true;
    showTools(false);
    panel.hidden = true;
    root.classList.remove("open");
    launch.setAttribute("aria-expanded", "false");
    store.set("open", false);
    if (returnFocus) launch.focus();
  }

  launch.addEventListener("click", function () { isOpen() ? close(false) : open(true); });
  closeBtn.addEventListener("click", function () { close(true); });
  moreBtn.addEventListener("click", function () { showTools(tools.hidden); });
  root.addEventListener("keydown", function (e) {
    if ((e.key === "Escape" || e.key === "Esc") && isOpen()) {
      e.preventDefault();
      close(true);
    }
  });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    talk(text, text);
  });
  sizeBtn.addEventListener("click", function () {
    var big = !root.classList.contains("big");
    root.classList.toggle("big", big);
    sizeBtn.setAttribute("aria-pressed", String(big));
    store.set("big", big);
  });
  newBtn.addEventListener("click", function () { showTools(false); newConversation(true); input.focus(); });
  forgetBtn.addEventListener("click", function () { showTools(false); confirmBox.hidden = false; confirmQ.focus(); });
  confirmNo.addEventListener("click", function () { confirmBox.hidden = true; input.focus(); });
  confirmYes.addEventListener("click", function () { confirmBox.hidden = true; input.focus(); forget(); });

  if (canSpeak && speechSynthesis.addEventListener) {
    // Hide "Lees voor" when the browser has voices but none speaks Dutch.
    var checkVoices = function () {
      var voices = speechSynthesis.getVoices();
      root.classList.toggle("nospeech", voices.length > 0 && !dutchVoice());
    };
    speechSynthesis.addEventListener("voiceschanged", checkVoices);
    checkVoices();
  }

  /* ---------- start ---------- */
  state.history.forEach(function (entry) {
    if (entry.k === "u") showUser(entry.t);
    else if (entry.k === "b") showBot(entry);
  });
  if (store.get("big")) { root.classList.add("big"); sizeBtn.setAttribute("aria-pressed", "true"); }
  var wasOpen = store.get("open");
  document.body.appendChild(host);
  if (wasOpen === true || (wasOpen === null && cfg.open)) open(false); // never steal focus on load

  // For the host page (and tests): open or close, or show a message as if Klik sent it.
  window.KlikWidget = {
    open: function () { open(true); },
    close: function () { close(false); },
    newConversation: function () { newConversation(true); },
    render: function (message) { received([message]); }
  };
})();
