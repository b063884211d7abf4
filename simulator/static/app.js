/* Sokh simulator page: plain JS, no build step, no external requests.
 * Messages arrive as Bot API Message objects; text is rendered from entities with
 * DOM nodes only (never innerHTML), so whatever the bot sends stays inert. */
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  const ui = {
    tabs: $("tabs"), avatar: $("chat-avatar"), title: $("chat-title"),
    subtitle: $("chat-subtitle"), userSelect: $("user-select"), menuButton: $("menu-button"),
    menu: $("menu"), topics: $("topics"), messages: $("messages"), empty: $("empty"),
    blockedBar: $("blocked-bar"), unblock: $("unblock-button"), replyKb: $("reply-keyboard"),
    composer: $("composer"), input: $("input"), attach: $("attach-button"),
    attachMenu: $("attach-menu"), kbToggle: $("keyboard-toggle"), toast: $("toast"),
    replyBar: $("reply-bar"), replyName: $("reply-name"), replyText: $("reply-text"),
    replyCancel: $("reply-cancel"),
  };
  const state = {
    bot: { name: "Sokh", username: "sokh_bot" }, tabs: [], tab: null, users: {},
    chat: null, cursor: null, elements: new Map(), data: new Map(), topic: "all",
    loop: null, voted: new Map(), kbKey: "", kbHidden: false, typingTimer: 0, replyTo: null,
  };
  const NAME_COLORS = ["#e17076", "#faa774", "#a695e7", "#7bc862", "#6ec9cb", "#65aadd", "#ee7aae"];
  const TOPIC_COLORS = { 7322096: "#6fb9f0", 16766590: "#ffd67e", 13338331: "#cb86db",
    9367192: "#8eee98", 16749490: "#ff93b2", 16478047: "#fb6f5f" };
  const SAFE_URL = /^(https?:\/\/|tg:\/\/|mailto:)/i;
  // Clients link phone numbers in text; Cambodian ones start with 0 or +855.
  const AUTO_LINK = /(https?:\/\/[^\s<>"]+)|((?<![\w+])(?:\+|0)\d[\d ()-]{4,}\d(?!\d))/g;

  // ---- small helpers -------------------------------------------------------------------

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  async function api(path, body) {
    const init = body === undefined ? {} : {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    };
    const res = await fetch(path, init);
    if (!res.ok) throw new Error(await res.text());
    return res.json();
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function showToast(text, alert = false) {
    ui.toast.textContent = text;
    ui.toast.classList.toggle("alert", alert);
    ui.toast.hidden = false;
    clearTimeout(showToast.timer);
    showToast.timer = setTimeout(() => { ui.toast.hidden = true; }, alert ? 4000 : 2200);
  }

  function timeOf(unix) {
    const d = new Date(unix * 1000);
    return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  }

  function colorFor(id) {
    return NAME_COLORS[Math.abs(Number(id)) % NAME_COLORS.length];
  }

  function initials(name) {
    return (name || "?").trim().slice(0, 1).toUpperCase();
  }

  const ICONS = {
    phone: "M6.62 10.79c1.44 2.83 3.76 5.14 6.59 6.59l2.2-2.2c.27-.27.67-.36 1.02-.24 1.12.37 2.33.57 3.57.57.55 0 1 .45 1 1V20c0 .55-.45 1-1 1-9.39 0-17-7.61-17-17 0-.55.45-1 1-1h3.5c.55 0 1 .45 1 1 0 1.25.2 2.45.57 3.57.11.35.03.74-.25 1.02l-2.2 2.2z",
    pin: "M12 2C8.13 2 5 5.13 5 9c0 5.25 7 13 7 13s7-7.75 7-13c0-3.87-3.13-7-7-7zm0 9.5a2.5 2.5 0 0 1 0-5 2.5 2.5 0 0 1 0 5z",
    file: "M6 2c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6H6zm7 7V3.5L18.5 9H13z",
    play: "M8 5v14l11-7z",
  };

  // Icons are inline SVG so the page needs no emoji or icon font to look right.
  function icon(name) {
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "ico");
    svg.setAttribute("aria-hidden", "true");
    const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  // ---- Telegram text with entities ---------------------------------------------------------

  function appendLinked(parent, text) {
    let last = 0;
    for (const match of text.matchAll(AUTO_LINK)) {
      const digits = (match[2] || "").replace(/\D/g, "");
      if (match[2] && (digits.length < 6 || digits.length > 15)) continue;
      parent.append(text.slice(last, match.index));
      const a = el("a", null, match[0]);
      a.href = match[1] ? match[1] : `tel:${match[0].replace(/[^\d+]/g, "")}`;
      if (match[1]) { a.target = "_blank"; a.rel = "noopener noreferrer"; }
      parent.append(a);
      last = match.index + match[0].length;
    }
    parent.append(text.slice(last));
  }

  function entityNode(entity, text) {
    const tags = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code" };
    if (tags[entity.type]) return el(tags[entity.type]);
    switch (entity.type) {
      case "spoiler": {
        const span = el("span", "spoiler");
        span.addEventListener("click", () => span.classList.add("revealed"));
        return span;
      }
      case "pre": return el("pre");
      case "blockquote": return el("blockquote");
      case "expandable_blockquote": {
        const q = el("blockquote", "expandable");
        q.addEventListener("click", () => q.classList.toggle("open"));
        return q;
      }
      case "text_link": case "url": case "email": case "phone_number": {
        const target = entity.type === "text_link" ? entity.url : text;
        const href = entity.type === "email" ? `mailto:${target}`
          : entity.type === "phone_number" ? `tel:${target.replace(/[^\d+]/g, "")}`
          : (/^[a-z]+:/i.test(target) ? target : `https://${target}`);
        if (!SAFE_URL.test(href) && !href.startsWith("tel:")) return el("span", "link");
        const a = el("a");
        a.href = href;
        a.target = "_blank";
        a.rel = "noopener noreferrer";
        if (entity.type === "text_link") a.title = href;
        return a;
      }
      case "bot_command": {
        const a = el("a", "cmd");
        a.href = "#";
        a.addEventListener("click", (ev) => { ev.preventDefault(); sendText(text.split("@")[0]); });
        return a;
      }
      case "mention": case "hashtag": case "cashtag": case "text_mention":
        return el("span", "link");
      default: return null;
    }
  }

  function renderRange(parent, text, start, end, entities, plainLinks) {
    let pos = start;
    while (entities.length) {
      const entity = entities.shift();
      const eStart = Math.max(entity.offset, pos);
      const eEnd = Math.min(entity.offset + entity.length, end);
      if (eEnd <= eStart) continue;
      if (eStart > pos) appendText(parent, text.slice(pos, eStart), plainLinks);
      const inner = [];
      while (entities.length && entities[0].offset < eEnd) inner.push(entities.shift());
      const node = entityNode(entity, text.slice(eStart, eEnd));
      const target = node || parent;
      const linky = plainLinks && !["code", "pre", "text_link", "url", "email", "phone_number",
        "bot_command"].includes(entity.type);
      renderRange(target, text, eStart, eEnd, inner, linky);
      if (node && entity.type === "pre") {
        const code = el("code");
        code.append(...node.childNodes);
        node.append(code);
      }
      if (node) parent.append(node);
      pos = eEnd;
    }
    if (pos < end) appendText(parent, text.slice(pos, end), plainLinks);
  }

  function appendText(parent, text, linky) {
    if (linky) appendLinked(parent, text);
    else parent.append(text);
  }

  function renderText(text, entities) {
    const div = el("div", "text");
    const sorted = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
    renderRange(div, text, 0, text.length, sorted, true);
    return div;
  }

  // ---- message bodies ---------------------------------------------------------------------

  function serviceText(m) {
    if (m.forum_topic_created) return `Topic “${m.forum_topic_created.name}” created`;
    if (m.forum_topic_edited) return `Topic renamed to “${m.forum_topic_edited.name}”`;
    if (m.forum_topic_closed) return "Topic closed";
    if (m.forum_topic_reopened) return "Topic reopened";
    if (m.new_chat_members) {
      const names = m.new_chat_members.map((u) => u.first_name).join(", ");
      return `${m.sender_name} added ${names}`;
    }
    if (m.pinned_message) return `${m.sender_name} pinned a message`;
    return null;
  }

  function contactCard(contact) {
    const wrap = el("div");
    const row = el("div", "contact");
    const name = [contact.first_name, contact.last_name].filter(Boolean).join(" ");
    row.append(el("div", "avatar", initials(name)));
    const info = el("div");
    info.append(el("div", "contact-name", name));
    const phone = el("div", "contact-phone");
    const link = el("a", null, contact.phone_number);
    link.href = `tel:${contact.phone_number.replace(/[^\d+]/g, "")}`;
    phone.append(link);
    info.append(phone);
    row.append(info);
    const call = el("a", "contact-call", " Call");
    call.prepend(icon("phone"));
    call.href = link.href;
    wrap.append(row, call);
    return wrap;
  }

  function pollView(m) {
    const poll = m.poll;
    const mine = state.voted.get(poll.id);
    const answered = mine !== undefined || poll.is_closed;
    const box = el("div", `poll${answered ? " answered" : ""}`);
    box.append(renderText(poll.question, poll.question_entities));
    box.firstChild.classList.add("poll-question");
    const kind = poll.type === "quiz" ? "Quiz" : "Poll";
    box.append(el("div", "poll-kind", `${poll.is_anonymous ? "Anonymous " : ""}${kind}`));
    const total = Math.max(poll.total_voter_count, 1);
    const correct = poll.correct_option_ids || (poll.correct_option_id !== undefined ? [poll.correct_option_id] : []);
    poll.options.forEach((option, index) => {
      const button = el("button", "poll-option");
      button.type = "button";
      if (answered) {
        const pct = Math.round((option.voter_count / total) * 100);
        const bar = el("div", "bar");
        bar.style.width = `${pct}%`;
        button.append(bar, el("span", "pct", `${pct}%`));
        if (poll.type === "quiz" && correct.includes(index)) button.classList.add("correct");
        else if (poll.type === "quiz" && mine === index) button.classList.add("wrong");
      } else {
        button.addEventListener("click", () => vote(m, index));
      }
      button.append(el("span", null, option.text));
      box.append(button);
    });
    box.append(el("div", "poll-footer",
      `${poll.total_voter_count} vote${poll.total_voter_count === 1 ? "" : "s"}${poll.is_closed ? " · final results" : ""}`));
    if (answered && poll.explanation) box.append(el("div", "poll-explanation", poll.explanation));
    return box;
  }

  function fileView(name, sub) {
    const row = el("div", "file");
    const badge = el("div", "file-icon");
    badge.append(icon("file"));
    row.append(badge);
    const info = el("div");
    info.append(el("div", "file-name", name));
    if (sub) info.append(el("div", "file-sub", sub));
    row.append(info);
    return row;
  }

  function voiceView(voice) {
    const row = el("div", "file");
    const badge = el("div", "file-icon");
    badge.append(icon("play"));
    row.append(badge);
    const wave = el("div", "wave");
    for (let i = 0; i < 26; i += 1) {
      const bar = el("i");
      bar.style.height = `${4 + ((i * 7919) % 17)}px`;
      wave.append(bar);
    }
    const info = el("div");
    info.append(wave, el("div", "file-sub", `0:${String(voice.duration || 0).padStart(2, "0")}`));
    row.append(info);
    return row;
  }

  function mediaBody(m, bubble) {
    if (m.photo) {
      bubble.classList.add("media");
      const img = el("img", "photo");
      img.src = m.photo_url || "/static/sample-photo.svg";
      img.alt = "Photo";
      img.loading = "lazy";
      return img;
    }
    if (m.sticker) {
      bubble.classList.add("bare");
      return el("div", "sticker", m.sticker.emoji || "🖼️");
    }
    if (m.contact) return contactCard(m.contact);
    if (m.poll) return pollView(m);
    if (m.location) {
      bubble.classList.add("media");
      const box = el("div");
      const map = el("div", "location");
      map.append(icon("pin"));
      box.append(map);
      const { latitude, longitude } = m.location;
      const label = m.venue ? `${m.venue.title}, ${m.venue.address}` : `${latitude.toFixed(4)}, ${longitude.toFixed(4)}`;
      box.append(el("div", "location-label", label));
      return box;
    }
    if (m.voice) return voiceView(m.voice);
    if (m.document) return fileView(m.document.file_name || "Document", m.document.mime_type);
    if (m.audio) return fileView(m.audio.file_name || "Audio", null);
    if (m.video || m.animation || m.video_note) return fileView("Video", null);
    if (m.dice) return el("div", "sticker", m.dice.emoji || "🎲");
    return null;
  }

  // ---- keyboards ----------------------------------------------------------------------------

  function inlineKeyboard(m) {
    const rows = (m.reply_markup && m.reply_markup.inline_keyboard) || [];
    if (!rows.length) return null;
    const box = el("div", "inline-keyboard");
    for (const row of rows) {
      const line = el("div", "kb-row");
      for (const button of row) {
        const b = el("button", null, button.text);
        b.type = "button";
        if (button.url) b.append(el("span", "hint", "↗"));
        b.addEventListener("click", () => pressInline(m, button, b));
        line.append(b);
      }
      box.append(line);
    }
    return box;
  }

  async function pressInline(m, button, node) {
    if (button.url) {
      window.open(button.url, "_blank", "noopener");
      return;
    }
    if (button.copy_text) {
      await navigator.clipboard?.writeText(button.copy_text.text).catch(() => {});
      showToast("Copied to clipboard");
      return;
    }
    if (button.callback_data === undefined) {
      showToast("This kind of button does not work in the simulator");
      return;
    }
    node.classList.add("pending");
    try {
      const res = await api(`/sim/api/chats/${state.chat.id}/click`, {
        user_id: currentUserId(), message_id: m.message_id, data: button.callback_data,
      });
      const answer = res.answer;
      if (answer && answer.text) showToast(answer.text, Boolean(answer.show_alert));
      else if (answer && answer.url) showToast(`Open: ${answer.url}`);
    } catch (err) {
      showToast(String(err.message || err));
    } finally {
      node.classList.remove("pending");
    }
  }

  function renderReplyKeyboard(markup) {
    const key = JSON.stringify(markup || null);
    if (key !== state.kbKey) {
      state.kbKey = key;
      state.kbHidden = false;
    }
    ui.replyKb.replaceChildren();
    const rows = (markup && markup.keyboard) || [];
    ui.kbToggle.hidden = !rows.length;
    ui.replyKb.hidden = !rows.length || state.kbHidden;
    ui.replyKb.classList.toggle("tall", Boolean(markup) && !markup.resize_keyboard);
    ui.input.placeholder = (markup && markup.input_field_placeholder) || "Message";
    for (const row of rows) {
      const line = el("div", "kb-row");
      for (const raw of row) {
        const button = typeof raw === "string" ? { text: raw } : raw;
        const b = el("button", null, button.text);
        if (button.request_contact) b.prepend(icon("phone"), " ");
        if (button.request_location) b.prepend(icon("pin"), " ");
        b.type = "button";
        b.addEventListener("click", () => pressReply(button, markup));
        line.append(b);
      }
      ui.replyKb.append(line);
    }
  }

  async function pressReply(button, markup) {
    if (markup.one_time_keyboard) {
      state.kbHidden = true;
      ui.replyKb.hidden = true;
    }
    await post("reply_button", { label: button.text });
  }

  // ---- the message list ---------------------------------------------------------------------

  function isOutgoing(m) {
    return !m.from_bot && m.from && m.from.id === currentUserId();
  }

  function renderMessage(m) {
    const service = serviceText(m);
    if (service) {
      const node = el("div", "service", service);
      node.dataset.thread = m.message_thread_id || "";
      return node;
    }
    const out = isOutgoing(m);
    const node = el("div", `msg ${out ? "out" : "in"}`);
    node.dataset.thread = m.message_thread_id || "";
    const bubble = el("div", "bubble");
    if (!out && state.chat && state.chat.type !== "private") {
      const sender = el("div", "sender", m.sender_name);
      sender.style.color = colorFor(m.from ? m.from.id : 0);
      bubble.append(sender);
    }
    if (m.forward_origin) {
      const origin = m.forward_origin.sender_user || {};
      bubble.append(el("div", "forwarded", `Forwarded from ${origin.first_name || "a hidden user"}`));
    }
    if (m.reply_to_message && !m.reply_to_message.forum_topic_created) {
      const r = m.reply_to_message;
      const quote = el("div", "quote");
      quote.append(el("b", null, r.from ? r.from.first_name : ""), (r.text || r.caption || "Media").slice(0, 120));
      bubble.append(quote);
    }
    const media = mediaBody(m, bubble);
    if (media) bubble.append(media);
    const text = m.text !== undefined ? m.text : m.caption;
    const entities = m.text !== undefined ? m.entities : m.caption_entities;
    const meta = el("span", "meta", `${m.edited ? "edited " : ""}${timeOf(m.date)}${out ? " ✓✓" : ""}`);
    if (text) {
      const body = renderText(text, entities);
      if (media) body.classList.add("caption");
      body.append(meta);
      bubble.append(body);
    } else {
      const row = el("div", "meta-row");
      row.append(meta);
      if (!bubble.classList.contains("bare")) bubble.append(row);
    }
    node.append(bubble);
    if (m.reactions && m.reactions.length) {
      node.append(el("div", "reactions", m.reactions.map((r) => r.emoji || "⭐").join(" ")));
    }
    const kb = inlineKeyboard(m);
    if (kb) node.append(kb);
    return node;
  }

  function topicVisible(node) {
    if (state.topic === "all") return true;
    if (state.topic === "general") return node.dataset.thread === "";
    return node.dataset.thread === String(state.topic);
  }

  function upsert(m) {
    const old = state.elements.get(m.message_id);
    if (m.deleted) {
      if (old) old.remove();
      state.elements.delete(m.message_id);
      state.data.delete(m.message_id);
      return false;
    }
    state.data.set(m.message_id, m);
    const node = renderMessage(m);
    node.dataset.id = m.message_id;
    // Double-click (or double-tap) a message to reply to it, as in Telegram Desktop.
    node.addEventListener("dblclick", () => setReply(state.data.get(m.message_id) || m));
    node.hidden = !topicVisible(node);
    if (old) {
      old.replaceWith(node);
      node.classList.add("flash");
    } else {
      const after = [...state.elements.keys()].filter((id) => id > m.message_id);
      const next = after.length ? state.elements.get(Math.min(...after)) : null;
      ui.messages.insertBefore(node, next);
    }
    state.elements.set(m.message_id, node);
    return !old;
  }

  // ---- replies ------------------------------------------------------------------------------

  function setReply(m) {
    state.replyTo = m;
    ui.replyBar.hidden = !m;
    if (!m) return;
    ui.replyName.textContent = m.from_bot ? state.bot.name : m.sender_name;
    ui.replyText.textContent = (m.text || m.caption || "Media").slice(0, 80);
    ui.input.focus();
  }

  // A ForceReply opens the reply box as Telegram does: for everyone, or when selective only
  // for the sender of the message it replies to and for the users it mentions.
  function forcesReplyFromMe(m) {
    if (!m.from_bot || !m.force_reply) return false;
    if (!m.force_reply.selective) return true;
    const me = currentUserId();
    if (m.reply_to_message && m.reply_to_message.from && m.reply_to_message.from.id === me) return true;
    return (m.entities || []).some((e) => (e.type === "text_mention" && e.user && e.user.id === me)
      || (e.type === "text_link" && e.url === `tg://user?id=${me}`));
  }

  function applyMessages(messages, initial) {
    const box = ui.messages;
    const nearBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 140;
    let added = false;
    let mine = false;
    for (const m of messages) {
      const isNew = upsert(m);
      added = added || isNew;
      mine = mine || (isNew && isOutgoing(m));
      if (isNew && !initial && forcesReplyFromMe(m)) setReply(m);
    }
    ui.empty.hidden = state.elements.size > 0;
    if (initial || mine || (added && nearBottom)) box.scrollTop = box.scrollHeight;
  }

  // ---- chats, users, topics -----------------------------------------------------------------

  function currentUserId() {
    return state.users[state.tab.key];
  }

  function applyChat(chat) {
    state.chat = chat;
    const tab = state.tab;
    const privateChat = chat.type === "private";
    ui.title.textContent = privateChat ? state.bot.name : chat.title;
    ui.avatar.textContent = initials(privateChat ? state.bot.name : chat.title);
    ui.avatar.className = `avatar${chat.is_forum ? " forum" : privateChat ? "" : " group"}`;
    const count = chat.members.length + 1;
    const base = privateChat ? "bot" : `${chat.is_forum ? "forum · " : ""}${count} members`;
    ui.subtitle.textContent = chat.typing ? `${state.bot.name} is ${chat.typing.replace(/_/g, " ").replace("typing", "typing…")}` : base;
    ui.subtitle.classList.toggle("typing", Boolean(chat.typing));
    clearTimeout(state.typingTimer);
    if (chat.typing) state.typingTimer = setTimeout(() => { ui.subtitle.textContent = base; ui.subtitle.classList.remove("typing"); }, 5000);
    ui.blockedBar.hidden = !chat.blocked;
    const blockItem = ui.menu.querySelector('[data-menu="block"]');
    blockItem.hidden = !privateChat;
    blockItem.textContent = chat.blocked ? "Unblock the bot" : "Block the bot";
    ui.menu.querySelector('[data-menu="new-user"]').hidden = !tab.private;
    renderUsers(chat);
    renderTopics(chat);
    renderReplyKeyboard(chat.reply_keyboard);
  }

  function renderUsers(chat) {
    const select = ui.userSelect;
    const selected = currentUserId();
    select.replaceChildren();
    for (const member of chat.members) {
      const option = el("option", null, `${member.name}${member.admin ? " (admin)" : ""}`);
      option.value = member.id;
      option.selected = member.id === selected;
      select.append(option);
    }
    if (state.tab.private) {
      const option = el("option", null, "+ New person…");
      option.value = "new";
      select.append(option);
    }
  }

  function renderTopics(chat) {
    ui.topics.hidden = !chat.is_forum;
    if (!chat.is_forum) return;
    const chips = [["all", "All"], ["general", "# General"]];
    for (const topic of chat.topics) chips.push([topic.message_thread_id, topic.name, topic]);
    ui.topics.replaceChildren();
    for (const [key, label, topic] of chips) {
      const b = el("button");
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", String(String(state.topic) === String(key)));
      if (topic) {
        const dot = el("span", "topic-dot");
        dot.style.background = TOPIC_COLORS[topic.icon_color] || "#6fb9f0";
        b.append(dot);
      }
      b.append(`${label}${topic && topic.closed ? " 🔒" : ""}`);
      b.addEventListener("click", () => selectTopic(key));
      ui.topics.append(b);
    }
  }

  function selectTopic(key) {
    state.topic = key;
    for (const node of state.elements.values()) node.hidden = !topicVisible(node);
    renderTopics(state.chat);
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  function chatIdFor(tab) {
    return tab.private ? state.users[tab.key] : tab.chat.id;
  }

  async function loadState() {
    const data = await api("/sim/api/state");
    state.bot = data.bot;
    state.tabs = data.tabs;
    for (const tab of data.tabs) {
      if (state.users[tab.key] === undefined) state.users[tab.key] = tab.user_id;
    }
    renderTabs();
  }

  function renderTabs() {
    ui.tabs.replaceChildren();
    for (const tab of state.tabs) {
      const b = el("button", null, tab.label);
      b.type = "button";
      b.setAttribute("role", "tab");
      b.setAttribute("aria-selected", String(state.tab !== null && state.tab.key === tab.key));
      b.addEventListener("click", () => openTab(tab.key));
      ui.tabs.append(b);
    }
  }

  function openTab(key) {
    state.tab = state.tabs.find((t) => t.key === key) || state.tabs[0];
    state.topic = "all";
    renderTabs();
    history.replaceState(null, "", `#${state.tab.key}`);
    startLoop();
  }

  function startLoop() {
    if (state.loop) state.loop.abort();
    const controller = new AbortController();
    state.loop = controller;
    state.elements.clear();
    state.data.clear();
    state.kbKey = "";
    setReply(null);
    ui.messages.replaceChildren(ui.empty);
    ui.empty.hidden = false;
    pollMessages(controller, chatIdFor(state.tab));
  }

  async function pollMessages(controller, chatId) {
    let cursor = null;
    while (!controller.signal.aborted) {
      const query = cursor === null ? "" : `?since=${cursor}&wait=25`;
      try {
        const res = await fetch(`/sim/api/chats/${chatId}/messages${query}`, { signal: controller.signal });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const data = await res.json();
        if (controller.signal.aborted) return;
        applyChat(data.chat);
        applyMessages(data.messages, cursor === null);
        cursor = data.cursor;
      } catch (err) {
        if (controller.signal.aborted) return;
        await sleep(1000);
      }
    }
  }

  // ---- actions as the simulated user -------------------------------------------------------------

  async function post(action, body) {
    try {
      return await api(`/sim/api/chats/${state.chat.id}/${action}`, { user_id: currentUserId(), ...body });
    } catch (err) {
      showToast(String(err.message || err));
      return null;
    }
  }

  function threadId() {
    return typeof state.topic === "number" ? state.topic : null;
  }

  function takeReply() {
    const id = state.replyTo ? state.replyTo.message_id : null;
    setReply(null);
    return id;
  }

  async function sendText(text) {
    if (!text.trim() || !state.chat) return;
    await post("send", { text, thread_id: threadId(), reply_to: takeReply() });
    ui.messages.scrollTop = ui.messages.scrollHeight;
  }

  async function vote(m, index) {
    state.voted.set(m.poll.id, index);
    upsert(m);
    await post("vote", { message_id: m.message_id, option_ids: [index] });
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = `${Math.min(ui.input.scrollHeight, 140)}px`;
  }

  function closeMenus(except) {
    for (const [menu, button] of [[ui.menu, ui.menuButton], [ui.attachMenu, ui.attach]]) {
      if (menu === except) continue;
      menu.hidden = true;
      button.setAttribute("aria-expanded", "false");
    }
  }

  function toggleMenu(menu, button) {
    closeMenus(menu);
    menu.hidden = !menu.hidden;
    button.setAttribute("aria-expanded", String(!menu.hidden));
  }

  async function newPerson() {
    const n = Object.keys(state.users).length + Math.floor(Math.random() * 900 + 100);
    const user = await api("/sim/api/users", { first_name: `Guest ${n}`, language_code: "km" });
    state.users[state.tab.key] = user.id;
    await loadState();
    startLoop();
  }

  function wire() {
    ui.composer.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const text = ui.input.value;
      ui.input.value = "";
      autoGrow();
      await sendText(text);
      ui.input.focus();
    });
    ui.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        ui.composer.requestSubmit();
      }
    });
    ui.input.addEventListener("input", autoGrow);
    ui.attach.addEventListener("click", () => toggleMenu(ui.attachMenu, ui.attach));
    ui.menuButton.addEventListener("click", () => toggleMenu(ui.menu, ui.menuButton));
    ui.attachMenu.addEventListener("click", async (ev) => {
      const kind = ev.target.closest("button")?.dataset.sample;
      closeMenus(null);
      if (kind) await post("sample", { kind, reply_to: takeReply() });
    });
    ui.menu.addEventListener("click", async (ev) => {
      const item = ev.target.closest("button")?.dataset.menu;
      closeMenus(null);
      if (item === "new-user") await newPerson();
      if (item === "block") await post("block", {});
      if (item === "reload") startLoop();
    });
    ui.unblock.addEventListener("click", () => post("block", {}));
    ui.replyCancel.addEventListener("click", () => setReply(null));
    ui.kbToggle.addEventListener("click", () => {
      state.kbHidden = !state.kbHidden;
      ui.replyKb.hidden = state.kbHidden;
    });
    ui.userSelect.addEventListener("change", async () => {
      if (ui.userSelect.value === "new") {
        await newPerson();
        return;
      }
      state.users[state.tab.key] = Number(ui.userSelect.value);
      startLoop();
    });
    document.addEventListener("click", (ev) => {
      if (!ev.target.closest(".menu, .attach-menu, #menu-button, #attach-button")) closeMenus(null);
    });
  }

  async function main() {
    wire();
    // Load the Khmer face up front so the first Khmer message renders in it at once.
    document.fonts.load('16px "Noto Sans Khmer"', "ខ្មែរ").catch(() => {});
    for (;;) {
      try {
        await loadState();
        break;
      } catch (err) {
        await sleep(1000);
      }
    }
    if (!state.tabs.length) {
      ui.title.textContent = "No chats yet";
      return;
    }
    openTab(location.hash.slice(1) || state.tabs[0].key);
  }

  main();
})();
