// rag-news chat UI: a dependency-free ES module, no build step.
//
// Safety: everything that comes from the reader, the answer or the articles is inserted
// with textContent / createTextNode, never parsed as HTML. No inline styles or scripts
// (the server's Content-Security-Policy forbids them): presentation is done with classes.

const MAX_HISTORY = 20; // turns (user + assistant), the API's limit
const MAX_TURN_CHARS = 8000; // per history turn, the API's limit
const MAX_QUESTION_CHARS = 2000;
const MARKER = /\[(\d{1,3})\]/g;

const $ = (id) => document.getElementById(id);
const ui = {
  app: $("app"),
  messages: $("messages"),
  conversation: $("conversation"),
  empty: $("empty-state"),
  form: $("composer"),
  question: $("question"),
  send: $("send"),
  stop: $("stop"),
  newChat: $("new-chat"),
  libraryToggle: $("library-toggle"),
  library: $("library"),
  docList: $("doc-list"),
  libraryCount: $("library-count"),
  libraryStatus: $("library-status"),
  panel: $("source-panel"),
  panelEyebrow: $("source-eyebrow"),
  panelTitle: $("source-title"),
  panelByline: $("source-byline"),
  panelClose: $("source-close"),
  panelBody: $("source-body"),
  panelCitesSection: $("source-cites-section"),
  panelCites: $("source-cites"),
  panelStatus: $("source-status"),
  panelText: $("source-text"),
};

const state = {
  history: [], // [{role, content}], completed turns only, oldest first
  busy: false,
  controller: null, // AbortController of the request in flight
  documents: new Map(), // doc_id -> Promise<{doc_id, title, text}>
  panelTrigger: null, // the element that opened the source panel (focus returns to it)
  panelToken: 0, // guards against out-of-order document loads
};

// ---------------------------------------------------------------------------------------
// small DOM helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function button(className, text, attrs = {}) {
  const b = el("button", className, text);
  b.type = "button";
  for (const [name, value] of Object.entries(attrs)) b.setAttribute(name, value);
  return b;
}

function clip(text, max) {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2019-11-19" or "2019-11-19T08:30:00+02:00" as "19 Nov 2019": the date the outlet wrote, in no time zone of the reader's. */
function formatDate(published) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(published || ""));
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return "";
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** "Outlet · 19 Nov 2019" (either part alone when the other is unknown; "" when both are). */
function byline(item) {
  return [item.source, formatDate(item.published)].filter(Boolean).join(" · ");
}

/** Sort key for newest first, undated last (the API's order too). */
function publishedTime(item) {
  const t = Date.parse(String(item.published || ""));
  return Number.isNaN(t) ? -Infinity : t;
}

/** "Also in Outlet (5 Mar 2024), …" for a wire story's other copies; "" when it has none. */
function alsoIn(cit) {
  const copies = Array.isArray(cit.also_in) ? cit.also_in : [];
  if (!copies.length) return "";
  const names = copies.map((c) => {
    const date = formatDate(c.published);
    return `${c.source || c.doc_id}${date ? ` (${date})` : ""}`;
  });
  return `Also in ${names.join(", ")}`;
}

/** The byline (and wire copies) under a quote, as spans; nothing when unknown. */
function citationAbout(cit) {
  const nodes = [];
  const by = byline(cit);
  if (by) nodes.push(el("span", "source-byline", by));
  const also = alsoIn(cit);
  if (also) nodes.push(el("span", "source-also", also));
  return nodes;
}

const reduceMotion = () => window.matchMedia("(prefers-reduced-motion: reduce)").matches;

function scrollConversationToEnd() {
  ui.conversation.scrollTop = ui.conversation.scrollHeight;
}

/** Keep following a growing answer only while the reader is at the bottom of the chat. */
function nearEnd() {
  const c = ui.conversation;
  return c.scrollHeight - c.scrollTop - c.clientHeight < 120;
}

// ---------------------------------------------------------------------------------------
// Server-Sent Events over fetch: a line-oriented parser per the WHATWG spec (the parts
// we need: event, data, comments, CR/LF/CRLF line ends, chunks split anywhere).

export class SSEParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = "";
    this.event = "";
    this.data = [];
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    const buf = this.buffer;
    for (let i = 0; i < buf.length; i++) {
      const c = buf[i];
      if (c !== "\n" && c !== "\r") continue;
      if (c === "\r" && i + 1 === buf.length) break; // CR at the end: maybe CRLF, wait
      this.line(buf.slice(start, i));
      if (c === "\r" && buf[i + 1] === "\n") i++;
      start = i + 1;
    }
    this.buffer = buf.slice(start);
  }

  line(line) {
    if (line === "") {
      this.dispatch();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }

  dispatch() {
    const event = this.event || "message";
    const data = this.data.join("\n");
    const had = this.data.length > 0;
    this.event = "";
    this.data = [];
    if (had) this.onEvent(event, data);
  }
}

class ChatError extends Error {
  constructor(message, retryable = true) {
    super(message);
    this.retryable = retryable;
  }
}

async function errorDetail(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return body.detail;
  } catch {
    /* not JSON */
  }
  return "";
}

function describeStatus(status, detail) {
  if (status === 503) return detail || "The assistant is unavailable right now (503).";
  if (status === 429) return detail || "Too many questions at once; wait a moment.";
  if (status === 413) return "The question is too long.";
  if (status === 422) return detail ? `The question was not accepted: ${detail}` : "The question was not accepted.";
  if (status === 401 || status === 403) return detail || "The server refused the request (not authorised).";
  return detail || `The server answered with an error (${status}).`;
}

/** POST the question and call onToken(text) per token; resolves with the done object. */
async function streamAnswer(payload, signal, onToken) {
  let response;
  try {
    response = await fetch("/api/ask/stream", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify(payload),
      signal,
    });
  } catch (err) {
    if (signal.aborted) throw err;
    throw new ChatError("Could not reach the server. Check your connection or that the assistant is running.");
  }
  if (!response.ok) {
    const detail = await errorDetail(response);
    const retryable = response.status >= 500 || response.status === 429 || response.status === 408;
    throw new ChatError(describeStatus(response.status, detail), retryable);
  }
  if (!response.body) throw new ChatError("The server sent an empty response.");

  let result = null;
  let failure = null;
  const parser = new SSEParser((event, data) => {
    if (result || failure) return;
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch {
      failure = new ChatError("The server sent a malformed event.");
      return;
    }
    if (event === "token" && typeof parsed.text === "string") onToken(parsed.text);
    else if (event === "done") result = parsed;
    else if (event === "error") {
      const detail = typeof parsed.detail === "string" ? parsed.detail : "The answer failed.";
      failure = new ChatError(detail, parsed.retryable !== false);
    }
  });

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    while (!result && !failure) {
      let chunk;
      try {
        chunk = await reader.read();
      } catch (err) {
        if (signal.aborted) throw err;
        throw new ChatError("The connection dropped before the answer was complete.");
      }
      if (chunk.done) {
        parser.push("\n\n");
        break;
      }
      parser.push(chunk.value);
    }
  } finally {
    reader.cancel().catch(() => {});
  }
  if (failure) throw failure;
  if (!result) throw new ChatError("The answer stopped before it was complete.");
  return result;
}

// ---------------------------------------------------------------------------------------
// rendering answers and citations

/** Fill `container` with `text`, each [n] as a citation button (or a placeholder while streaming). */
function renderAnswerText(container, text, record) {
  const fragment = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    if (match.index > last) fragment.append(document.createTextNode(text.slice(last, match.index)));
    const n = Number(match[1]);
    const cit = record ? record.byN.get(n) : null;
    if (cit) {
      const b = button("cite", String(n), {
        "data-cite": String(n),
        "aria-label": `Source ${n}: ${clip(cit.title, 80)}`,
        title: clip(cit.quote, 200),
      });
      b.addEventListener("click", () => openCitation(record, n, b));
      fragment.append(b);
    } else if (!record) {
      fragment.append(el("span", "cite cite-pending", String(n)));
    } else {
      fragment.append(document.createTextNode(match[0]));
    }
    last = match.index + match[0].length;
  }
  if (last < text.length) fragment.append(document.createTextNode(text.slice(last)));
  container.replaceChildren(fragment);
}

function renderSources(record) {
  const wrap = el("section", "sources");
  const heading = el("h3", "sources-title");
  heading.append(el("span", "sources-label", record.citations.length === 1 ? "Source" : "Sources"));
  wrap.append(heading);
  const list = el("ol", "sources-list");
  // Name the article under each quote only when the answer draws on more than one.
  const manyDocs = new Set(record.citations.map((c) => c.doc_id)).size > 1;
  if (!manyDocs && record.citations.length) heading.append(el("span", "sources-doc", record.citations[0].title));
  for (const cit of record.citations) {
    const item = el("li");
    const b = button("source-item", null, { "data-source": String(cit.n) });
    b.append(el("span", "source-n", cit.n), el("span", "source-quote", `“${cit.quote}”`));
    if (manyDocs) b.append(el("span", "source-doc", cit.title));
    b.append(...citationAbout(cit));
    b.addEventListener("click", () => openCitation(record, cit.n, b));
    item.append(b);
    list.append(item);
  }
  wrap.append(list);
  return wrap;
}

function renderMeta(answer) {
  const parts = [];
  if (answer.model && answer.model.llm) parts.push(answer.model.llm);
  if (answer.timings_ms && typeof answer.timings_ms.total === "number") {
    parts.push(`${Math.round(answer.timings_ms.total)} ms`);
  }
  return el("p", "meta", parts.join(" · "));
}

function createExchange(question) {
  ui.empty.hidden = true;
  for (const old of ui.messages.querySelectorAll(".retry")) old.remove();

  const userItem = el("li", "msg msg-user");
  userItem.append(el("span", "visually-hidden", "You asked:"));
  userItem.append(el("p", "msg-user-text", question));

  const item = el("li", "msg msg-assistant");
  item.dataset.state = "waiting";
  const label = el("p", "msg-label", "Answer");
  const body = el("div", "answer-text");
  body.setAttribute("aria-live", "polite");
  body.setAttribute("aria-busy", "true");
  const typing = el("span", "typing");
  typing.setAttribute("aria-label", "Searching the articles");
  typing.append(el("span"), el("span"), el("span"));
  body.append(typing);
  item.append(label, body);

  ui.messages.append(userItem, item);
  scrollConversationToEnd();
  return { item, label, body };
}

function showAnswer(view, answer) {
  const citations = Array.isArray(answer.citations) ? answer.citations : [];
  const record = { citations, byN: new Map(citations.map((c) => [c.n, c])) };
  const { item, label, body } = view;
  item.dataset.state = "done";
  body.setAttribute("aria-busy", "false");
  renderAnswerText(body, String(answer.answer ?? ""), record);
  // The answer itself (a name, a number, a date) in bold above the quoted sentence.
  if (typeof answer.short_answer === "string" && answer.short_answer && !answer.abstained) {
    body.before(el("p", "short-answer", answer.short_answer));
  }

  if (answer.abstained) {
    item.classList.add("msg-abstained");
    item.dataset.abstained = "true";
    label.textContent = "Not in the articles";
    label.classList.add("msg-label-abstained");
  }
  const extras = [];
  if (answer.degraded) {
    extras.push(
      el(
        "p",
        "note note-degraded",
        "The language model was unavailable, so this answer was extracted directly from the articles.",
      ),
    );
  }
  const unsupported = Array.isArray(answer.unsupported) ? answer.unsupported.filter((s) => typeof s === "string") : [];
  if (unsupported.length) {
    const details = el("details", "note note-unsupported");
    const n = unsupported.length;
    details.append(
      el("summary", null, `${n} sentence${n === 1 ? "" : "s"} could not be verified against the articles`),
    );
    const list = el("ul");
    for (const s of unsupported) list.append(el("li", null, s));
    details.append(list);
    extras.push(details);
  }
  if (citations.length) extras.push(renderSources(record));
  extras.push(renderMeta(answer));
  item.append(...extras);
}

function showError(view, message, retry) {
  const { item, label, body } = view;
  item.dataset.state = "error";
  item.classList.add("msg-error");
  body.setAttribute("aria-busy", "false");
  label.textContent = "Something went wrong";
  label.classList.add("msg-label-error");
  const partial = body.querySelector(".typing") ? "" : body.textContent;
  body.replaceChildren();
  const p = el("p", "error-text", message);
  p.setAttribute("role", "alert");
  body.append(p);
  if (partial) body.append(el("p", "partial", `Partial answer: ${partial}`));
  if (retry) {
    const b = button("btn btn-outline btn-small retry", "Retry");
    b.addEventListener("click", () => {
      b.disabled = true;
      retry();
    });
    item.append(b);
  }
}

// ---------------------------------------------------------------------------------------
// asking

function setBusy(busy) {
  state.busy = busy;
  ui.send.hidden = busy;
  ui.stop.hidden = !busy;
  ui.app.classList.toggle("is-busy", busy);
  if (!busy) ui.send.disabled = ui.question.value.trim() === "";
}

async function ask(question, view) {
  const history = state.history.slice(-MAX_HISTORY);
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  let streamed = "";
  try {
    const answer = await streamAnswer({ question, history }, controller.signal, (text) => {
      if (view.item.dataset.state === "waiting") view.item.dataset.state = "streaming";
      streamed += text;
      const follow = nearEnd();
      renderAnswerText(view.body, streamed, null);
      if (follow) scrollConversationToEnd();
    });
    if (!view.item.isConnected) return; // the chat was cleared meanwhile
    const follow = nearEnd();
    showAnswer(view, answer);
    if (follow) scrollConversationToEnd();
    state.history.push(
      { role: "user", content: question },
      { role: "assistant", content: clip(String(answer.answer || "…"), MAX_TURN_CHARS) },
    );
    state.history = state.history.slice(-MAX_HISTORY);
  } catch (err) {
    if (!view.item.isConnected) return; // the chat was cleared meanwhile
    const follow = nearEnd();
    if (controller.signal.aborted) {
      showError(view, "Stopped.", () => retryExchange(question, view));
    } else {
      const message = err instanceof ChatError ? err.message : "Something unexpected went wrong.";
      const retryable = !(err instanceof ChatError) || err.retryable;
      showError(view, message, retryable ? () => retryExchange(question, view) : null);
    }
    if (follow) scrollConversationToEnd();
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

function retryExchange(question, oldView) {
  if (state.busy) return;
  oldView.item.previousElementSibling?.remove();
  oldView.item.remove();
  const view = createExchange(question);
  ask(question, view);
}

function submitQuestion() {
  if (state.busy) return;
  const question = ui.question.value.trim();
  if (!question) return;
  if (question.length > MAX_QUESTION_CHARS) return;
  ui.question.value = "";
  ui.send.disabled = true;
  const view = createExchange(question);
  ask(question, view);
}

function newChat() {
  if (state.controller) state.controller.abort();
  state.controller = null;
  state.history = [];
  ui.messages.replaceChildren();
  ui.empty.hidden = false;
  closePanel(false);
  setBusy(false);
  ui.question.value = "";
  ui.send.disabled = true;
  ui.question.focus();
}

// ---------------------------------------------------------------------------------------
// the source panel

function loadDocument(docId) {
  let promise = state.documents.get(docId);
  if (!promise) {
    promise = fetch(`/api/documents/${encodeURIComponent(docId)}`).then(async (r) => {
      if (!r.ok) throw new ChatError(describeStatus(r.status, await errorDetail(r)));
      return r.json();
    });
    promise.catch(() => state.documents.delete(docId));
    state.documents.set(docId, promise);
  }
  return promise;
}

/** Change the layout without losing the reader's place: the chat's end, or the clicked citation. */
function keepPlace(change, trigger) {
  const follow = nearEnd();
  change();
  if (follow) scrollConversationToEnd();
  if (trigger && trigger.isConnected && ui.conversation.contains(trigger)) trigger.scrollIntoView({ block: "nearest" });
}

function showPanel(trigger) {
  state.panelTrigger = trigger || null;
  keepPlace(() => {
    ui.panel.hidden = false;
    ui.app.classList.add("has-source");
  }, trigger);
  ui.panelTitle.focus({ preventScroll: true });
}

function closePanel(restoreFocus = true) {
  if (ui.panel.hidden) return;
  keepPlace(() => {
    ui.panel.hidden = true;
    ui.app.classList.remove("has-source");
  }, null);
  for (const b of document.querySelectorAll(".cite.is-active, .source-item.is-active")) b.classList.remove("is-active");
  state.panelToken++;
  const trigger = state.panelTrigger;
  state.panelTrigger = null;
  if (restoreFocus && trigger && trigger.isConnected) trigger.focus();
}

function renderPanelCitations(record, activeN) {
  ui.panelCites.replaceChildren();
  ui.panelCitesSection.hidden = !record;
  if (!record) return;
  const shownDoc = record.byN.get(activeN)?.doc_id;
  for (const cit of record.citations) {
    const item = el("li");
    const b = button("panel-cite", null, { "data-panel-cite": String(cit.n) });
    if (cit.n === activeN) b.setAttribute("aria-current", "true");
    b.append(el("span", "source-n", cit.n), el("span", "panel-cite-quote", `“${cit.quote}”`));
    // Another article than the one shown: say which.
    if (cit.doc_id !== shownDoc) b.append(el("span", "source-doc", cit.title));
    b.append(...citationAbout(cit));
    b.addEventListener("click", () => openCitation(record, cit.n, state.panelTrigger));
    item.append(b);
    ui.panelCites.append(item);
  }
}

/** Show the article with text[start:end] in a <mark>; returns the mark or null. */
function renderArticle(doc, cit) {
  const text = String(doc.text ?? "");
  ui.panelText.replaceChildren();
  let start = -1;
  let end = -1;
  if (cit) {
    if (text.slice(cit.start, cit.end) === cit.quote) {
      start = cit.start;
      end = cit.end;
    } else {
      // The article changed since the answer was given: find the quote by its words.
      start = text.indexOf(cit.quote);
      end = start === -1 ? -1 : start + cit.quote.length;
    }
  }
  if (start === -1 && cit) {
    ui.panelStatus.textContent = "This passage is no longer in the article; it may have been edited.";
  }
  // One <p> per line of the article; the cited span becomes <mark> (split at line ends).
  const segments =
    start === -1
      ? [[text, false]]
      : [
          [text.slice(0, start), false],
          [text.slice(start, end), true],
          [text.slice(end), false],
        ];
  let paragraph = el("p");
  let first = null;
  const paragraphs = [paragraph];
  for (const [segment, marked] of segments) {
    segment.split(/\r\n|\r|\n/).forEach((piece, i) => {
      if (i > 0) {
        paragraph = el("p");
        paragraphs.push(paragraph);
      }
      if (!piece) return;
      if (marked) {
        const mark = el("mark", "cited", piece);
        mark.dataset.citeN = String(cit.n);
        first = first || mark;
        paragraph.append(mark);
      } else {
        paragraph.append(document.createTextNode(piece));
      }
    });
  }
  ui.panelText.append(...paragraphs.filter((p) => p.childNodes.length));
  return first;
}

async function openSource({ docId, title, record = null, n = null, trigger = null }) {
  const token = ++state.panelToken;
  const cit = record && n !== null ? record.byN.get(n) : null;
  for (const b of document.querySelectorAll(".cite.is-active, .source-item.is-active")) b.classList.remove("is-active");
  if (trigger && trigger.classList) trigger.classList.add("is-active");

  ui.panelEyebrow.textContent = cit ? `Source [${n}]` : "Article";
  ui.panelTitle.textContent = title || docId;
  showByline(cit);
  ui.panelStatus.textContent = "Loading the article…";
  ui.panelText.replaceChildren();
  renderPanelCitations(record, n);
  showPanel(trigger);

  let doc;
  try {
    doc = await loadDocument(docId);
  } catch (err) {
    if (token !== state.panelToken) return;
    const message = err instanceof ChatError ? err.message : "Could not load the article.";
    ui.panelStatus.textContent = message;
    if (cit) {
      // Still show what was cited, so the reader is not left with nothing.
      ui.panelText.append(el("mark", "cited", cit.quote));
    }
    return;
  }
  if (token !== state.panelToken) return;
  ui.panelTitle.textContent = doc.title || title || docId;
  showByline(doc);
  ui.panelStatus.textContent = "";
  const mark = renderArticle(doc, cit);
  if (mark) {
    mark.scrollIntoView({ block: "center", behavior: reduceMotion() ? "auto" : "smooth" });
  } else {
    ui.panelBody.scrollTop = 0;
  }
}

/** The panel's "Outlet · 19 Nov 2019 · by Author" line, the outlet linking to the article's address. */
function showByline(item) {
  ui.panelByline.replaceChildren();
  const by = item ? byline(item) : "";
  ui.panelByline.hidden = !by;
  if (!by) return;
  const url = String(item.url || "");
  if (/^https?:\/\//i.test(url)) {
    const a = el("a", null, by);
    a.href = url;
    a.rel = "noopener noreferrer";
    a.target = "_blank";
    ui.panelByline.append(a);
  } else {
    ui.panelByline.append(document.createTextNode(by));
  }
  if (item.author) ui.panelByline.append(document.createTextNode(` · ${item.author}`));
}

function openCitation(record, n, trigger) {
  const cit = record.byN.get(n);
  if (!cit) return;
  openSource({ docId: cit.doc_id, title: cit.title, record, n, trigger });
}

// ---------------------------------------------------------------------------------------
// the library

async function loadLibrary(attempt = 0) {
  ui.libraryStatus.textContent = attempt ? "Waiting for the assistant to start…" : "Loading…";
  let docs;
  try {
    const r = await fetch("/api/documents");
    if (!r.ok) throw new ChatError(describeStatus(r.status, await errorDetail(r)), r.status >= 500);
    const body = await r.json();
    docs = Array.isArray(body.documents) ? body.documents : [];
  } catch (err) {
    if (attempt < 30 && (!(err instanceof ChatError) || err.retryable)) {
      setTimeout(() => loadLibrary(attempt + 1), 2000);
      return;
    }
    ui.libraryStatus.replaceChildren(el("span", null, "Could not load the library. "));
    const b = button("link-button", "Try again");
    b.addEventListener("click", () => loadLibrary(0));
    ui.libraryStatus.append(b);
    return;
  }
  ui.docList.replaceChildren();
  // Newest first, undated last (the API's order; kept here for any server that differs).
  docs = docs
    .map((doc, i) => [doc, i])
    .sort((a, b) => publishedTime(b[0]) - publishedTime(a[0]) || a[1] - b[1])
    .map(([doc]) => doc);
  for (const doc of docs) {
    const item = el("li");
    const b = button("doc", null, { "data-doc-id": String(doc.doc_id) });
    b.append(el("span", "doc-title", doc.title || doc.doc_id));
    const by = byline(doc);
    if (by) b.append(el("span", "doc-byline", by));
    const words = Math.max(1, Math.round((Number(doc.chars) || 0) / 6));
    const copy = doc.duplicate_of ? ` · wire copy of ${doc.duplicate_of}` : "";
    b.append(el("span", "doc-meta", `${doc.doc_id} · ~${words.toLocaleString("en")} words${copy}`));
    b.addEventListener("click", () => openSource({ docId: String(doc.doc_id), title: doc.title, trigger: b }));
    item.append(b);
    ui.docList.append(item);
  }
  const count = `${docs.length} article${docs.length === 1 ? "" : "s"}`;
  ui.libraryCount.textContent = count;
  ui.libraryToggle.textContent = `Library (${docs.length})`;
  ui.libraryStatus.textContent = docs.length ? "" : "No articles yet: add some to corpus/ and run `rag ingest`.";
}

// ---------------------------------------------------------------------------------------
// wiring

ui.form.addEventListener("submit", (event) => {
  event.preventDefault();
  submitQuestion();
});
ui.question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing && !event.altKey && !event.ctrlKey) {
    event.preventDefault();
    submitQuestion();
  }
});
ui.question.addEventListener("input", () => {
  if (!state.busy) ui.send.disabled = ui.question.value.trim() === "";
});
ui.stop.addEventListener("click", () => {
  if (state.controller) state.controller.abort();
});
ui.newChat.addEventListener("click", newChat);
// A newcomer need not know what to ask first: a starter asks its question.
for (const starter of document.querySelectorAll("[data-question]")) {
  starter.addEventListener("click", () => {
    ui.question.value = starter.dataset.question;
    submitQuestion();
  });
}
ui.panelClose.addEventListener("click", () => closePanel());
ui.panel.addEventListener("keydown", (event) => {
  if (event.key === "Escape") {
    event.preventDefault();
    closePanel();
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  if (ui.app.classList.contains("library-open")) {
    setLibraryOpen(false);
    ui.libraryToggle.focus();
  } else if (!ui.panel.hidden && !ui.panel.contains(document.activeElement)) {
    closePanel();
  }
});
function setLibraryOpen(open) {
  ui.libraryToggle.setAttribute("aria-expanded", String(open));
  ui.app.classList.toggle("library-open", open);
}

ui.libraryToggle.addEventListener("click", () => {
  setLibraryOpen(ui.libraryToggle.getAttribute("aria-expanded") !== "true");
});
// On a narrow screen the library is a drop-down: it closes on Escape, on a click
// elsewhere, and once an article is chosen.
ui.library.addEventListener("click", (event) => {
  if (event.target instanceof Element && event.target.closest(".doc")) setLibraryOpen(false);
});
document.addEventListener("click", (event) => {
  if (!ui.app.classList.contains("library-open")) return;
  const target = event.target instanceof Node ? event.target : null;
  if (target && (ui.library.contains(target) || ui.libraryToggle.contains(target))) return;
  setLibraryOpen(false);
});

ui.send.disabled = true;
ui.app.dataset.ready = "true";
loadLibrary();
