// The inspector page's script: vanilla DOM, no dependencies, same-origin fetches only (the CSP forbids others).
// Every value from a webhook is inserted as text (textContent), never as HTML: message bodies are untrusted.

const config = JSON.parse(document.getElementById('inspector-config').textContent);
// `results`: the last send answer, kept across re-renders so a poll cannot wipe it. `replays`: each replay's answer
// by the exchange it belongs to (the replayed row and the new one), shown only while that row is selected.
const state = {
  version: -1,
  exchanges: [],
  selected: null,
  detail: null,
  editing: false,
  results: {},
  replays: {},
};

/** Replaces an element's children; nested arrays are flattened and null/false children skipped. */
function fill(element, ...children) {
  element.replaceChildren();
  for (const child of children.flat(2)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A DOM element: h('td', { class: 'x', onclick: fn }, 'text', child). */
function h(tag, attrs, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  return fill(element, ...children);
}

async function api(path, init) {
  const response = await fetch(`/_local/api/${path}`, init);
  const body = await response.json();
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  return body;
}

function post(path, body) {
  return api(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

function badge(verdict) {
  return h('span', { class: `badge ${verdict}`, 'data-testid': 'verdict' }, verdict);
}

/** The one time format of the page: 24-hour local time, HH:MM:SS (the full ISO time in the element's title). */
function time(iso) {
  return new Date(iso).toLocaleTimeString('en-GB', { hour12: false });
}

/** A time cell or text: the short form shown, the exact instant on hover. */
function timeElement(tag, iso, attrs = {}) {
  return h(tag, { ...attrs, title: iso }, time(iso));
}

/** Two lines in one cell: the main value and a smaller one under it. */
function stacked(main, sub, testids) {
  return [
    h('span', { class: 'main', 'data-testid': testids[0] }, main || '—'),
    h('span', { class: 'sub', 'data-testid': testids[1] }, sub || '—'),
  ];
}

function renderList() {
  const rows = document.getElementById('exchange-rows');
  fill(
    rows,
    ...state.exchanges.map((x) =>
      h(
        'tr',
        {
          'data-testid': 'exchange-row',
          'data-id': x.id,
          'data-verdict': x.verdict,
          class: x.id === state.selected ? 'selected' : undefined,
          onclick: () => select(x.id),
        },
        timeElement('td', x.at),
        h(
          'td',
          { title: x.label },
          badge(x.verdict),
          x.replayOf ? h('span', { class: 'tag' }, `replay (${x.replayMode})`) : null,
          x.rejection ? h('span', { class: 'reason', 'data-testid': 'row-reason' }, x.rejection) : null,
          state.replays[x.id] && !x.replayOf
            ? h(
                'span',
                { class: 'reason replayed', 'data-testid': 'row-replay' },
                `replayed: ${state.replays[x.id].text}`,
              )
            : null,
        ),
        h(
          'td',
          { title: `${x.channel} via ${x.provider}` },
          stacked(x.channel, x.provider, ['row-channel', 'row-provider']),
        ),
        h('td', { title: `${x.from} → ${x.to}` }, stacked(x.from, x.to, ['row-from', 'row-to'])),
        h(
          'td',
          { title: `${x.company} · ${x.queue ?? 'not queued'}` },
          stacked(x.company, x.queue, ['row-company', 'row-queue']),
        ),
        h('td', { title: x.preview }, x.preview),
        h('td', { title: `HTTP ${x.status} in ${x.durationMs} ms` }, `${x.status} · ${x.durationMs} ms`),
      ),
    ),
  );
  document.getElementById('count').textContent = `(${state.exchanges.length})`;
  document.getElementById('empty').hidden = state.exchanges.length > 0;
}

function keyValues(pairs) {
  return h(
    'table',
    { class: 'kv' },
    ...pairs.map(([name, value]) => h('tr', {}, h('td', {}, name), h('td', {}, value))),
  );
}

function renderDetail() {
  const panel = document.getElementById('detail');
  const x = state.detail;
  if (!x) {
    fill(panel, h('h2', {}, 'Details'), h('p', { class: 'hint' }, 'Select a webhook.'));
    return;
  }
  const routing = x.queue
    ? `${x.route === 'ai' ? 'AI' : 'human hand-off'}${x.reason ? ` (${x.reason})` : ''} → ${x.queue}`
    : 'not routed';
  fill(
    panel,
    h('h2', {}, 'Details ', badge(x.verdict)),
    h('p', { class: `detail-label ${x.verdict}`, 'data-testid': 'detail-label' }, x.label),
    h(
      'dl',
      {},
      h('dt', {}, 'request id'),
      h('dd', {}, x.id),
      h('dt', {}, 'received'),
      timeElement('dd', x.at),
      h('dt', {}, 'provider'),
      h('dd', {}, x.provider || '—'),
      h('dt', {}, 'from → to'),
      h('dd', {}, `${x.from || '—'} → ${x.to || '—'}`),
      h('dt', {}, 'company'),
      h('dd', { 'data-testid': 'detail-company' }, x.company || '—'),
      h('dt', {}, 'request'),
      h('dd', {}, `${x.request.method} ${x.request.path} (${x.request.encoding})`),
      h('dt', {}, 'answer'),
      h('dd', {}, `HTTP ${x.status} in ${x.durationMs} ms`),
      h('dt', {}, 'routing'),
      h('dd', {}, routing),
      h('dt', {}, 'message id'),
      h('dd', { 'data-testid': 'detail-message-id' }, x.messageId || '—'),
      x.replayOf
        ? [
            h('dt', {}, 'replay of'),
            h(
              'dd',
              {},
              h(
                'a',
                {
                  href: '#',
                  onclick: (e) => {
                    e.preventDefault();
                    select(x.replayOf);
                  },
                },
                x.replayOf,
              ),
            ),
          ]
        : null,
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { 'data-testid': 'replay-button', onclick: () => replay(x.id) }, 'Replay'),
      h(
        'button',
        { class: 'secondary', 'data-testid': 'edit-button', onclick: () => startEdit() },
        'Edit & replay',
      ),
    ),
    replayOutput(x.id),
    state.editing ? editForm(x) : null,
    x.storedAttachments?.length
      ? [
          h('h3', {}, 'Stored attachments (S3, local download)'),
          h(
            'ul',
            { 'data-testid': 'stored-attachments' },
            x.storedAttachments.map((a) =>
              h(
                'li',
                {},
                h('a', { href: a.download, download: a.filename }, a.filename),
                ` ${a.contentType}, ${a.size} bytes, sha256 `,
                h('code', {}, a.sha256),
              ),
            ),
          ),
        ]
      : null,
    x.context
      ? [
          h('h3', {}, 'Context object (as queued)'),
          h('pre', { 'data-testid': 'context' }, JSON.stringify(x.context, null, 2)),
        ]
      : null,
    h('h3', {}, 'Body fields'),
    keyValues(x.request.fields),
    x.request.files.length
      ? [
          h('h3', {}, 'Attachments'),
          keyValues(
            x.request.files.map((f) => [f.field, `${f.filename} (${f.contentType}, ${f.size} bytes)`]),
          ),
        ]
      : null,
    h('h3', {}, 'Headers'),
    keyValues(x.request.headers),
    x.outcome ? [h('h3', {}, 'Outcome reported'), h('pre', {}, JSON.stringify(x.outcome, null, 2))] : null,
    h('h3', {}, 'Response'),
    h('pre', {}, `HTTP ${x.response.status}\n${x.response.body}`),
  );
}

function editForm(x) {
  const inputs = x.request.fields.map(([name, value]) => {
    const long = value.length > 60 || value.includes('\n');
    const input = long
      ? h(
          'textarea',
          { rows: 3, 'data-field': name, 'data-original': value, 'data-testid': `edit-field-${name}` },
          value,
        )
      : h('input', {
          value,
          'data-field': name,
          'data-original': value,
          'data-testid': `edit-field-${name}`,
        });
    return h('tr', {}, h('td', {}, name), h('td', {}, input));
  });
  return h(
    'form',
    { class: 'edit', 'data-testid': 'edit-form', onsubmit: (event) => submitEdit(event, x.id) },
    h('h3', {}, 'Edit fields'),
    h('p', { class: 'hint' }, 'Masked values are kept as originally sent unless you change them.'),
    h('table', { class: 'kv' }, ...inputs),
    h(
      'div',
      { class: 'choice' },
      h(
        'label',
        {},
        h('input', {
          type: 'radio',
          name: 'signature',
          value: 'resign',
          checked: true,
          'data-testid': 'edit-signature-resign',
        }),
        're-sign with the local secret',
      ),
      h(
        'label',
        {},
        h('input', {
          type: 'radio',
          name: 'signature',
          value: 'original',
          'data-testid': 'edit-signature-original',
        }),
        'keep the original signature',
      ),
    ),
    h(
      'div',
      { class: 'choice' },
      h(
        'label',
        {},
        h('input', { type: 'checkbox', name: 'freshId', 'data-testid': 'edit-fresh-id' }),
        'new message id (not a duplicate)',
      ),
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', 'data-testid': 'edit-submit' }, 'Send edited'),
      h('button', { type: 'button', class: 'secondary', onclick: () => cancelEdit() }, 'Cancel'),
    ),
  );
}

function startEdit() {
  state.editing = true;
  renderDetail();
}

function cancelEdit() {
  state.editing = false;
  renderDetail();
}

/** The replay answer of this exchange (it was replayed, or it is a replay), empty for any other. */
function replayOutput(id) {
  const result = state.replays[id];
  return h(
    'output',
    { id: 'replay-result', 'data-testid': 'replay-result', class: result?.className || undefined },
    result?.text ?? '',
  );
}

function setReplay(ids, className, text) {
  for (const id of ids) if (id) state.replays[id] = { className, text };
  renderList();
  if (state.detail && ids.includes(state.detail.id)) renderDetail();
}

function restoreResult(output) {
  const result = state.results[output.id];
  if (result) {
    output.className = result.className;
    output.textContent = result.text;
  }
  return output;
}

function setResult(id, className, text) {
  state.results[id] = { className, text };
  const output = document.getElementById(id);
  if (output) restoreResult(output);
}

function showResult(id, result) {
  setResult(
    id,
    '',
    result.exchange ? `HTTP ${result.status} · ${result.exchange.label}` : `HTTP ${result.status}`,
  );
}

function showError(id, error) {
  setResult(id, 'error', error.message);
}

async function afterSend(result, outputId) {
  showResult(outputId, result);
  await refreshExchanges();
  if (result.exchange) await select(result.exchange.id, outputId, result);
}

function resultText(result) {
  return result.exchange ? `HTTP ${result.status} · ${result.exchange.label}` : `HTTP ${result.status}`;
}

/** A replay's answer belongs to the row replayed and to the new row: selecting another row never shows it. */
async function afterReplay(id, result) {
  setReplay([id, result.exchange?.id], '', resultText(result));
  await refreshExchanges();
  if (result.exchange) await select(result.exchange.id);
}

async function replay(id) {
  try {
    await afterReplay(id, await post(`exchanges/${encodeURIComponent(id)}/replay`, {}));
  } catch (error) {
    setReplay([id], 'error', error.message);
  }
}

async function submitEdit(event, id) {
  event.preventDefault();
  const form = event.target;
  const fields = {};
  for (const input of form.querySelectorAll('[data-field]')) {
    if (input.value !== input.dataset.original) fields[input.dataset.field] = input.value;
  }
  const body = { fields, signature: form.elements.signature.value, freshId: form.elements.freshId.checked };
  try {
    state.editing = false;
    await afterReplay(id, await post(`exchanges/${encodeURIComponent(id)}/replay-edited`, body));
  } catch (error) {
    state.editing = true;
    setReplay([id], 'error', error.message);
  }
}

async function select(id, outputId, result) {
  state.selected = id;
  state.editing = false;
  try {
    state.detail = await api(`exchanges/${encodeURIComponent(id)}`);
  } catch {
    state.detail = null;
  }
  renderList();
  renderDetail();
  if (outputId && result) showResult(outputId, result);
}

async function refreshExchanges() {
  const result = await api(`exchanges?since=${state.version}`);
  if (result.unchanged) return;
  state.version = result.version;
  state.exchanges = result.exchanges;
  renderList();
  // Keep the open detail current (a late outcome), but never under someone's edit.
  if (state.selected && !state.editing && state.exchanges.some((x) => x.id === state.selected)) {
    state.detail = await api(`exchanges/${encodeURIComponent(state.selected)}`).catch(() => state.detail);
    renderDetail();
  }
}

function renderQueues(queues) {
  fill(
    document.getElementById('queues'),
    ...queues.map((q) =>
      h(
        'div',
        { class: 'queue', 'data-testid': `queue-${q.name}` },
        h(
          'div',
          { class: 'queue-head' },
          h('span', {}, q.name),
          h(
            'span',
            { 'data-testid': 'queue-depth' },
            q.depth ?? '?',
            h(
              'span',
              { class: 'tag', title: q.deadLetterReason ?? q.deadLetterQueue },
              `DLQ ${q.deadLetterDepth ?? '?'}`,
            ),
          ),
        ),
        q.deadLetterReason
          ? h(
              'p',
              { class: 'hint', 'data-testid': 'dlq-reason' },
              `${q.deadLetterQueue}: ${q.deadLetterReason}`,
            )
          : null,
        q.recent.length
          ? h(
              'ul',
              {},
              ...q.recent.map((m) => h('li', {}, timeElement('span', m.at), ` ${m.from}: ${m.body}`)),
            )
          : null,
      ),
    ),
  );
}

function renderOutbox(entries) {
  const box = document.getElementById('outbox');
  if (entries.length === 0) {
    fill(box, h('p', { class: 'hint' }, 'No fallback message sent yet (they go to unknown senders).'));
    return;
  }
  const list = keyValues(
    entries.map((e) => [
      h('span', {}, timeElement('span', e.at), ` ${e.provider}`),
      `${e.from} → ${e.to}: ${e.body}`,
    ]),
  );
  list.classList.add('prose');
  fill(box, list);
}

async function refreshSide() {
  const [queues, outbox] = await Promise.all([api('queues'), api('outbox')]);
  renderQueues(queues.queues);
  renderOutbox(outbox.entries);
}

function setDefaults(channel) {
  const form = document.getElementById('send-form');
  form.elements.from.value = config.defaults[channel].from;
  form.elements.to.placeholder = config.defaults[channel].to;
}

document.getElementById('send-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const message = {
      channel: form.elements.channel.value,
      from: form.elements.from.value,
      to: form.elements.to.value,
      body: form.elements.body.value,
    };
    await afterSend(await post('send', message), 'send-result');
  } catch (error) {
    showError('send-result', error);
  } finally {
    button.disabled = false;
  }
});
document
  .getElementById('send-form')
  .elements.channel.addEventListener('change', (event) => setDefaults(event.target.value));
setDefaults('whatsapp');
document.getElementById('unreachable-origin').textContent = location.origin;
// The CLI finds the stack on port 3000 by itself; elsewhere the example carries the URL, so it works as shown.
if (location.port !== '3000')
  document.getElementById('cli-example').textContent += ` --url ${location.origin}`;

/** Polling (not Server-Sent Events): one request a second to a local server costs nothing and survives restarts. */
async function poll(task, intervalMs) {
  const live = document.getElementById('live');
  const banner = document.getElementById('unreachable');
  for (;;) {
    try {
      await task();
      live.classList.remove('down');
      banner.hidden = true;
    } catch {
      live.classList.add('down');
      banner.hidden = false;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

poll(refreshExchanges, 1000);
poll(refreshSide, 2000);
