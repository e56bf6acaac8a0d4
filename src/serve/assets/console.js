// rung console: facts in, decisions out, what-ifs by editing the table.
// Plain JavaScript against the service's own endpoints; no framework, no
// network beyond this origin. Everything the page shows is built with
// textContent (never innerHTML), so facts cannot inject markup.
'use strict';
(() => {
  const $ = (id) => document.getElementById(id);

  /** An element with attributes and children (strings become text). */
  function el(tag, attrs, ...kids) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const kid of kids.flat()) {
      if (kid === null || kid === undefined || kid === false) continue;
      node.append(typeof kid === 'string' || typeof kid === 'number' ? String(kid) : kid);
    }
    return node;
  }

  const state = {
    policy: null,
    facts: null, // the facts document being edited
    listField: null, // the fact shown as a table (`incidents`)
    itemSchema: null, // the JSON Schema of one of its items
    last: null, // the last decision document
    seq: 0, // requests sent; a stale answer is dropped
    edited: new Set(), // rows edited since the facts were loaded
  };

  // ---- the policy ---------------------------------------------------------

  /** A schema with `$ref` resolved and `anyOf [T, null]` as T, nullable. */
  function resolve(s) {
    const defs = (state.policy.facts_schema || {}).$defs || {};
    if (!s) return {};
    if (s.$ref) return resolve(defs[s.$ref.replace('#/$defs/', '')]);
    if (s.anyOf) {
      const other = s.anyOf.find((x) => x.type !== 'null');
      return Object.assign({}, resolve(other), { nullable: true, description: s.description });
    }
    return s;
  }

  function chooseListField() {
    const props = ((state.policy.facts_schema || {}).properties) || {};
    const lists = Object.keys(props).filter((k) => {
      const p = resolve(props[k]);
      return p.type === 'array' && resolve(p.items).type === 'object';
    });
    state.listField = lists.includes('incidents') ? 'incidents' : (lists[0] || null);
    state.itemSchema = state.listField ? resolve(resolve(props[state.listField]).items) : null;
  }

  function showLoadErrors(errors) {
    const box = $('load-errors');
    box.replaceChildren();
    if (!errors || errors.length === 0) { box.hidden = true; return; }
    box.hidden = false;
    box.append(el('strong', {}, 'The policy files on disk do not check; the last good policy is serving.'));
    box.append(errorList(errors));
  }

  async function loadPolicy() {
    const res = await fetch('/v1/policy');
    state.policy = await res.json();
    const p = state.policy;
    $('policy-line').textContent =
      `policy ${p.policy_digest.slice(0, 12)} · ${p.ladders.map((l) => l.name).join(', ')} · rung ${p.rung_version}`;
    showLoadErrors(p.load_errors);
    const select = $('example');
    for (const name of p.examples) select.append(el('option', { value: name }, name));
    chooseListField();
  }

  // ---- errors -------------------------------------------------------------

  function errorList(errors) {
    return el('ul', {}, errors.map((e) => {
      const where = [e.path, e.line ? `line ${e.line}, column ${e.column}` : null].filter(Boolean).join(' · ');
      return el('li', {},
        el('span', { class: 'code' }, e.code || e.severity || 'error'), ' ',
        e.message,
        where ? el('div', { class: 'where' }, where) : null,
        e.help ? el('div', { class: 'help' }, 'help: ', e.help) : null);
    }));
  }

  function showErrors(title, errors) {
    const box = $('errors');
    box.replaceChildren(el('h3', {}, title), errorList(errors));
    box.hidden = false;
  }

  function clearErrors() {
    $('errors').hidden = true;
    $('errors').replaceChildren();
  }

  function status(text) {
    $('facts-status').textContent = text;
  }

  // ---- deciding -----------------------------------------------------------

  /** Sends a facts text; on success the text becomes the facts edited. */
  async function decideText(text, label, fromTable) {
    const seq = ++state.seq;
    status(`deciding on ${label}…`);
    let res;
    try {
      res = await fetch('/v1/decide?explain=true', { method: 'POST', body: text });
    } catch (err) {
      status('');
      showErrors('The service did not answer', [{ message: String(err) }]);
      return;
    }
    const body = await res.json().catch(() => null);
    if (seq !== state.seq) return; // a newer request is on its way
    if (!res.ok || !body) {
      status(`${label}: not decided (${res.status})`);
      showErrors(`${label} was not accepted`, (body && body.errors) || [{ message: `status ${res.status}` }]);
      return;
    }
    clearErrors();
    if (!fromTable) {
      state.facts = JSON.parse(text);
      state.edited.clear();
      renderFacts();
    }
    const prev = fromTable ? state.last : null;
    state.last = body;
    renderDecisions(body, prev);
    renderDiff(body, prev);
    const n = body.decisions.length;
    status(`${label}: ${n} decision${n === 1 ? '' : 's'} · policy ${body.policy_digest.slice(0, 12)}`);
    scheduleReplay();
  }

  let timer = null;
  function factsEdited() {
    $('raw').value = JSON.stringify(state.facts, null, 2);
    clearTimeout(timer);
    timer = setTimeout(() => decideText(JSON.stringify(state.facts), 'the edited facts', true), 250);
  }

  // ---- the facts table ----------------------------------------------------

  function editor(value, schema, label, set) {
    const s = resolve(schema);
    if (s.enum) {
      const select = el('select', { 'aria-label': label, onchange: (e) => set(e.target.value) },
        s.nullable ? el('option', { value: '' }, '—') : null,
        s.enum.map((v) => el('option', { value: v, selected: v === value }, v)));
      if (value === null || value === undefined) select.value = '';
      return select;
    }
    if (s.type === 'boolean') {
      return el('input', {
        type: 'checkbox', checked: value === true, 'aria-label': label,
        onchange: (e) => set(e.target.checked),
      });
    }
    if (s.type === 'integer' || s.type === 'number') {
      return el('input', {
        type: 'number', value: value ?? '', min: s.minimum, max: s.maximum, 'aria-label': label,
        step: s.type === 'integer' ? 1 : 'any',
        onchange: (e) => set(e.target.value === '' ? null : Number(e.target.value)),
      });
    }
    if (s.type === 'string' && s.format === 'date') {
      return el('input', {
        type: 'date', value: value ?? '', 'aria-label': label,
        onchange: (e) => set(e.target.value === '' ? null : e.target.value),
      });
    }
    if (s.type === 'string') {
      return el('input', {
        type: 'text', value: value ?? '', 'aria-label': label, size: Math.min(28, Math.max(5, String(value ?? '').length + 1)),
        onchange: (e) => set(e.target.value === '' && s.nullable ? null : e.target.value),
      });
    }
    return el('span', { class: 'mono' }, JSON.stringify(value));
  }

  function renderFacts() {
    const facts = state.facts || {};
    $('raw').value = JSON.stringify(facts, null, 2);
    const nowRow = $('now-row');
    if (typeof facts.now === 'string') {
      nowRow.hidden = false;
      $('now').value = facts.now;
    } else {
      nowRow.hidden = true;
    }
    const wrap = $('table-wrap');
    wrap.replaceChildren();
    const field = state.listField;
    const items = field && Array.isArray(facts[field]) ? facts[field] : null;
    if (!items || !state.itemSchema) return;
    const columns = Object.keys(state.itemSchema.properties || {});
    const idOf = (item, i) => (item && item.id !== undefined ? String(item.id) : `row ${i + 1}`);
    const table = el('table', {},
      el('caption', { class: 'visually-hidden' }, `${field}: edit a cell to see the decisions move`),
      el('thead', {}, el('tr', {},
        columns.map((c) => el('th', { scope: 'col', title: (resolve(state.itemSchema.properties[c]).description) || null }, c)),
        el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'actions')))),
      el('tbody', {}, items.map((item, i) => el('tr', { class: state.edited.has(i) ? 'edited' : null },
        columns.map((c) => el('td', {}, editor(item[c], state.itemSchema.properties[c], `${c} of ${idOf(item, i)}`, (v) => {
          item[c] = v;
          state.edited.add(i);
          factsEdited();
          markEdited();
        }))),
        el('td', {}, el('button', {
          type: 'button', 'aria-label': `Delete ${idOf(item, i)}`, title: 'Delete',
          onclick: () => {
            items.splice(i, 1);
            state.edited = new Set([...state.edited].filter((r) => r !== i).map((r) => (r > i ? r - 1 : r)));
            renderFacts();
            factsEdited();
          },
        }, '✕'))))));
    wrap.append(table);
    const actions = el('div', { class: 'table-actions' },
      el('button', {
        type: 'button',
        onclick: () => {
          const template = ((state.policy.facts_template || {})[field] || [])[0] || {};
          const base = JSON.parse(JSON.stringify(items[items.length - 1] || template));
          if ('id' in base) base.id = `new-${items.length + 1}`;
          items.push(base);
          state.edited.add(items.length - 1);
          renderFacts();
          factsEdited();
        },
      }, `Add ${field === 'incidents' ? 'an incident' : 'a row'}`),
      el('span', { class: 'hint' }, `${items.length} ${field}`));
    wrap.after(actions);
    const old = wrap.parentNode.querySelectorAll('.table-actions');
    old.forEach((a) => { if (a !== actions) a.remove(); });
  }

  /**
   * After a cell is edited, marks its row as edited. The table is not drawn
   * again: that would replace the inputs, and a value being typed in another
   * cell at that moment (not yet committed by its change event) would be lost.
   */
  function markEdited() {
    const rows = document.querySelectorAll('#table-wrap tbody tr');
    rows.forEach((row, i) => row.classList.toggle('edited', state.edited.has(i)));
  }

  // ---- decisions ----------------------------------------------------------

  const key = (d) => `${d.ladder}\u0000${d.subject}`;

  /** What a rung is in a decision: top, recommended, forbidden or nothing. */
  function rungState(d, name) {
    if (!d) return 'absent';
    if (d.forbidden.includes(name)) return 'forbidden';
    if (d.top === name) return 'top';
    if (d.recommended.includes(name)) return 'recommended';
    return 'none';
  }

  /** The unmet parts of a condition trace, as the CLI's "next rung" lists them. */
  function unmet(trace, out) {
    if (!trace) return out;
    if (trace.parts && trace.parts.length) {
      for (const p of trace.parts) if (!p.holds || trace.kind === 'any') unmet(p, out);
      if (trace.kind === 'not' && trace.holds === false) out.push({ text: `not (${trace.text || '…'})`, holds: false });
      return out;
    }
    out.push({ text: trace.summary || trace.text || '', holds: trace.holds });
    return out;
  }

  function nextRung(d, ladder, explanation) {
    const names = ladder.rungs.map((r) => r.name);
    const next = d.top ? names.indexOf(d.top) + 1 : 0;
    if (next <= 0 && d.top) return null;
    const name = names[next];
    if (!name) return el('p', { class: 'hint' }, 'The top rung of the ladder is reached.');
    if (d.forbidden.includes(name)) {
      const by = d.reasons.filter((r) => r.rung === name && r.effect === 'forbid').map((r) => r.rule);
      return el('div', {}, el('h4', {}, `Next rung: ${name}`), el('p', { class: 'miss' }, `forbidden by ${by.join(', ')}`));
    }
    const rules = ((explanation && explanation.rules) || [])
      .filter((r) => r.effect === 'recommend' && r.rungs.includes(name));
    if (!rules.length) return el('div', {}, el('h4', {}, `Next rung: ${name}`), el('p', { class: 'hint' }, 'no rule recommends it'));
    return el('div', {},
      el('h4', {}, `Next rung: ${name} — not reached; it needs one of:`),
      el('ul', {}, rules.map((r) => el('li', {},
        el('span', { class: 'rule' }, r.rule),
        el('ul', {}, unmet(r.condition, []).map((p) =>
          el('li', { class: p.holds ? 'met' : 'miss' }, p.holds ? '✓ ' : '✗ ', p.text)))))));
  }

  function renderDecisions(doc, prev) {
    const list = $('decision-list');
    list.replaceChildren();
    const before = new Map(((prev && prev.decisions) || []).map((d) => [key(d), d]));
    const explanations = new Map((doc.explanations || []).map((e) => [key(e), e]));
    if (doc.decisions.length === 0) {
      list.append(el('p', { class: 'hint' }, 'No decisions: no subject in the facts matches any rules block.'));
    }
    for (const w of doc.warnings || []) list.append(el('p', { class: 'hint' }, `warning: ${w.message} (${w.item})`));
    for (const d of doc.decisions) {
      const ladder = state.policy.ladders.find((l) => l.name === d.ladder) || { rungs: [] };
      const old = prev ? before.get(key(d)) || null : undefined;
      const names = ladder.rungs.map((r) => r.name);
      const nextName = names[d.top ? names.indexOf(d.top) + 1 : 0];
      let moved = false;
      const rungs = ladder.rungs.map((r) => {
        const now = rungState(d, r.name);
        const changed = old !== undefined && rungState(old, r.name) !== now && !(old === null && now === 'none');
        if (changed) moved = true;
        const tag = now === 'top' ? 'top' : now === 'forbidden' ? 'forbidden' : r.name === nextName ? 'next' : '';
        return el('li', {
          class: [now, changed ? 'changed' : '', r.name === nextName && now === 'none' ? 'next' : ''].filter(Boolean).join(' '),
          'data-rung': r.name,
          'data-state': now,
        },
        tag ? el('span', { class: 'tag' }, tag) : null,
        el('span', { class: 'name' }, r.name),
        changed ? el('span', { class: 'visually-hidden' }, ' (changed)') : null,
        el('span', { class: 'desc' }, r.description));
      });
      const reasons = el('ul', {}, d.reasons.map((r) => el('li', {},
        el('span', { class: r.effect === 'forbid' ? 'forbid' : '' }, r.effect === 'forbid' ? '✗ forbid ' : '✓ recommend '),
        el('strong', {}, r.rung), ' ', el('span', { class: 'rule' }, `(${r.rule})`), ': ', r.because,
        r.cites ? el('span', { class: 'cites' }, r.cites) : null)));
      const errors = d.errors.length
        ? el('ul', {}, d.errors.map((e) => el('li', { class: 'forbid' }, `${e.rule}: ${e.message} at ${e.location}`)))
        : null;
      list.append(el('article', {
        class: `decision${moved ? ' moved' : ''}`,
        'data-ladder': d.ladder,
        'data-subject': d.subject,
        'data-top': d.top || '',
        'aria-label': `${d.ladder} · ${d.subject}: top ${d.top || 'none'}`,
      },
      el('h3', {}, `${d.ladder} · ${d.subject} `, el('span', { class: 'status-tag' }, `[${d.status}] top: ${d.top || 'none'}`)),
      el('div', { class: 'cols' },
        el('ol', { class: 'ladder', 'aria-label': `${d.ladder} ladder, lowest rung first` }, rungs),
        el('div', {},
          el('div', { class: 'why' }, el('h4', {}, 'Why'), d.reasons.length ? reasons : el('p', { class: 'hint' }, 'No rule fired.'), errors),
          el('div', { class: 'next-rung' }, nextRung(d, ladder, explanations.get(key(d))))))));
    }
  }

  /** Lines saying what moved between two decision documents. */
  function changes(doc, prev) {
    const lines = [];
    const before = new Map(prev.decisions.map((d) => [key(d), d]));
    const after = new Map(doc.decisions.map((d) => [key(d), d]));
    for (const d of doc.decisions) {
      const o = before.get(key(d));
      const who = `${d.ladder} · ${d.subject}`;
      if (!o) { lines.push(`${who}: new subject, top ${d.top || 'none'}`); continue; }
      if (o.top !== d.top) lines.push(`${who}: top ${o.top || 'none'} → ${d.top || 'none'}`);
      const diff = (a, b) => a.filter((x) => !b.includes(x));
      for (const r of diff(d.recommended, o.recommended)) lines.push(`${who}: + recommended ${r}`);
      for (const r of diff(o.recommended, d.recommended)) lines.push(`${who}: − no longer recommended ${r}`);
      for (const r of diff(d.forbidden, o.forbidden)) lines.push(`${who}: + forbidden ${r}`);
      for (const r of diff(o.forbidden, d.forbidden)) lines.push(`${who}: − no longer forbidden ${r}`);
    }
    for (const o of prev.decisions) {
      if (!after.has(key(o))) lines.push(`${o.ladder} · ${o.subject}: no longer a subject (was ${o.top || 'none'})`);
    }
    return lines;
  }

  function renderDiff(doc, prev) {
    const box = $('diff');
    if (!prev) { box.hidden = true; box.replaceChildren(); return; }
    const lines = changes(doc, prev);
    box.replaceChildren(
      el('h3', {}, lines.length ? 'What moved' : 'Nothing moved'),
      lines.length ? el('ul', {}, lines.map((l) => el('li', {}, l))) : null);
    box.hidden = false;
  }

  // ---- replay chart -------------------------------------------------------

  let replayTimer = null;
  function scheduleReplay() {
    clearTimeout(replayTimer);
    replayTimer = setTimeout(replay, 400);
  }

  const dayOf = (s) => Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10)) / 86400000;
  const COLOURS = ['#0b5cad', '#a31b1b', '#1d6b35', '#7a3db8', '#a15c00', '#006d75', '#5c5c5c'];
  const SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  async function replay() {
    const box = $('replay');
    if (!state.facts || typeof state.facts.now !== 'string') { box.replaceChildren(); return; }
    const seq = state.seq;
    const res = await fetch('/v1/replay', { method: 'POST', body: JSON.stringify(state.facts) }).catch(() => null);
    if (!res || seq !== state.seq) return;
    const doc = await res.json().catch(() => null);
    if (!res.ok || !doc) {
      box.replaceChildren(el('p', { class: 'hint' }, 'No replay for these facts.'));
      return;
    }
    box.replaceChildren();
    for (const ladder of state.policy.ladders) {
      const subjects = doc.subjects.filter((s) => s.ladder === ladder.name);
      if (!subjects.length) continue;
      box.append(chart(doc, ladder, subjects));
    }
    if (!box.children.length) box.append(el('p', { class: 'hint' }, 'No subject over the range.'));
  }

  function chart(doc, ladder, subjects) {
    const names = ladder.rungs.map((r) => r.name);
    const W = 640, left = 150, right = 16, top = 12, row = 22;
    const H = top + row * (names.length + 1) + 34;
    const d0 = dayOf(doc.from), d1 = dayOf(doc.to) + 1;
    const x = (day) => left + ((day - d0) / Math.max(1, d1 - d0)) * (W - left - right);
    const y = (i) => top + row * (names.length - i); // i = -1: nothing recommended
    const summary = subjects.map((s) => {
      const last = s.segments[s.segments.length - 1];
      return `${s.subject}: ${last ? last.top || 'none' : 'none'} on ${doc.to}`;
    }).join('; ');
    const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': `${ladder.name} from ${doc.from} to ${doc.to}. ${summary}` });
    root.append(svg('title', {}, `${ladder.name}: top rung per subject, ${doc.from} to ${doc.to}`));
    names.forEach((n, i) => {
      root.append(svg('line', { x1: left, x2: W - right, y1: y(i), y2: y(i), stroke: '#e1e5ea' }));
      root.append(svg('text', { x: left - 6, y: y(i) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#1b1f24' }, n));
    });
    root.append(svg('text', { x: left - 6, y: y(-1) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#4a5361' }, '(none)'));
    root.append(svg('line', { x1: left, x2: W - right, y1: y(-1), y2: y(-1), stroke: '#c9cfd8' }));
    const axisY = H - 14;
    root.append(svg('text', { x: left, y: axisY, 'font-size': 11, fill: '#4a5361' }, doc.from));
    root.append(svg('text', { x: W - right, y: axisY, 'font-size': 11, 'text-anchor': 'end', fill: '#4a5361' }, doc.to));
    subjects.forEach((s, k) => {
      const colour = COLOURS[k % COLOURS.length];
      let path = '';
      let prevY = null;
      for (const seg of s.segments) {
        const yy = y(seg.top ? names.indexOf(seg.top) : -1) + (k - (subjects.length - 1) / 2) * 2;
        const xa = x(dayOf(seg.from)), xb = x(dayOf(seg.to) + 1);
        path += prevY === null ? `M${xa},${yy}` : `L${xa},${prevY}L${xa},${yy}`;
        path += `L${xb},${yy}`;
        prevY = yy;
      }
      root.append(svg('path', { d: path, fill: 'none', stroke: colour, 'stroke-width': 2.5 }));
      for (const c of s.crossings) {
        const seg = s.segments.find((g) => g.from === c.date);
        if (!seg) continue;
        const cy = y(seg.top ? names.indexOf(seg.top) : -1) + (k - (subjects.length - 1) / 2) * 2;
        const dot = svg('circle', { cx: x(dayOf(c.date)), cy, r: 3.5, fill: colour });
        dot.append(svg('title', {}, `${s.subject} ${c.date}: ${c.change} ${c.rung} (${c.rules.join(', ')})`));
        root.append(dot);
      }
    });
    const legend = el('p', { class: 'legend' }, subjects.map((s, k) =>
      el('span', { style: `color:${COLOURS[k % COLOURS.length]};margin-right:1em` }, `■ ${s.subject}`)));
    return el('figure', { class: 'chart', style: 'margin:0 0 1rem' },
      el('figcaption', {}, el('strong', {}, ladder.name), ` — top rung per subject, ${doc.from} to ${doc.to}`),
      root, legend);
  }

  // ---- wiring -------------------------------------------------------------

  $('example').addEventListener('change', async (e) => {
    const name = e.target.value;
    if (!name) return;
    const res = await fetch(`/v1/examples/${encodeURIComponent(name)}`);
    if (!res.ok) { showErrors(`${name} could not be read`, [{ message: `status ${res.status}` }]); return; }
    await decideText(await res.text(), name, false);
  });
  $('template').addEventListener('click', () => {
    $('example').value = '';
    decideText(JSON.stringify(state.policy.facts_template || {}, null, 2), 'the empty template', false);
  });
  $('upload').addEventListener('change', async (e) => {
    const files = [...(e.target.files || [])];
    e.target.value = '';
    if (!files.length) return;
    $('example').value = '';
    const label = files.map((f) => f.name).join(', ');
    const tables = files.filter((f) => /\.(csv|tsv|txt)$/i.test(f.name));
    const json = files.find((f) => !tables.includes(f));
    if (!tables.length) {
      await decideText(await json.text(), json.name, false);
      return;
    }
    // Tables, each named by the fact it gives (incidents.csv), and the other
    // facts from a JSON file: rung reads them as `--table` does.
    const body = { tables: {} };
    if (json) {
      const text = await json.text();
      try {
        body.facts = JSON.parse(text);
      } catch (err) {
        await decideText(text, json.name, false); // rung's report of the JSON
        return;
      }
    }
    for (const f of tables) body.tables[f.name.replace(/\.[^.]*$/, '')] = await f.text();
    status(`reading ${label}…`);
    const res = await fetch('/v1/tables', { method: 'POST', body: JSON.stringify(body) });
    const text = await res.text();
    if (!res.ok) {
      let errors = [{ message: `status ${res.status}` }];
      try { errors = JSON.parse(text).errors; } catch (err) { /* keep the status */ }
      status(`${label}: not read (${res.status})`);
      showErrors(`${label} were not accepted`, errors);
      return;
    }
    await decideText(text, label, false);
  });
  $('apply-raw').addEventListener('click', () => decideText($('raw').value, 'the pasted JSON', false));
  $('now').addEventListener('change', (e) => {
    if (!state.facts || !e.target.value) return;
    state.facts.now = e.target.value;
    factsEdited();
  });

  loadPolicy().catch((err) => showErrors('The policy could not be read', [{ message: String(err) }]));
})();
