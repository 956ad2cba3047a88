/* app.js: the `mtlskit web` page. Sends what is pasted or dropped to this
 * server's /api/check (and /api/match for the name box) and shows the
 * mtlskit.decode/1 document. Every piece of data reaches the page through
 * textContent: never innerHTML. No third-party code, works offline. */
'use strict';

(function () {
  const $ = (id) => document.getElementById(id);
  const pem = $('pem'), fileInput = $('file'), source = $('source'), statusEl = $('status');
  const out = $('out'), drop = $('drop'), profile = $('profile'), priv = $('private');
  const ref = $('ref'), reftype = $('reftype'), rfc6125 = $('rfc6125'), verdict = $('verdict');

  /* What is decoded: the textarea's text, or the bytes of a binary file. */
  let fileBytes = null;
  let fileName = '';
  let decodeSeq = 0, matchSeq = 0;
  let decodeTimer = 0, matchTimer = 0;
  let lastDoc = null;

  /* ---- DOM helpers (text only) ---- */
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') e.className = v;
        else if (k === 'text') e.textContent = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (const k of kids) {
      if (k === null || k === undefined || k === false) continue;
      e.appendChild(typeof k === 'string' ? document.createTextNode(k) : k);
    }
    return e;
  }
  const txt = (s) => document.createTextNode(String(s));
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  const plural = (n, w) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const hexOffset = (n) => `${n} (0x${Number(n).toString(16)})`;

  /* ---- input ---- */
  function body() {
    if (fileBytes) return fileBytes;
    return pem.value;
  }
  function hasInput() {
    return fileBytes ? fileBytes.length > 0 : pem.value.trim().length > 0;
  }
  function describeSource() {
    if (fileBytes) source.textContent = `File ${fileName}: ${plural(fileBytes.length, 'byte')} (binary, sent as is)`;
    else if (pem.value.length) source.textContent = `Pasted text: ${plural(pem.value.length, 'character')}`;
    else source.textContent = 'Nothing loaded yet.';
  }

  function looksText(bytes) {
    const n = Math.min(bytes.length, 4096);
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (b === 9 || b === 10 || b === 13) continue;
      if (b < 32 || b === 127) return false;
    }
    return true;
  }

  async function loadFile(file) {
    if (!file) return;
    let bytes;
    try {
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      showFatal(`Could not read ${file.name}: ${e.message}`);
      return;
    }
    if (looksText(bytes)) {
      fileBytes = null;
      pem.value = new TextDecoder('utf-8').decode(bytes);
      source.textContent = `File ${file.name}: ${plural(bytes.length, 'byte')} of text`;
    } else {
      fileBytes = bytes;
      fileName = file.name;
      pem.value = '';
      describeSource();
    }
    decodeNow();
  }

  /* ---- talking to the server ---- */
  async function post(path, params, data) {
    const url = path + (params.toString() ? `?${params}` : '');
    const res = await fetch(url, {
      method: 'POST',
      body: data,
      headers: { 'Content-Type': 'application/octet-stream' },
      cache: 'no-store',
      credentials: 'same-origin',
    });
    let doc = null;
    try {
      doc = await res.json();
    } catch (e) {
      throw new Error(`the server answered HTTP ${res.status} without a JSON document`);
    }
    return { status: res.status, doc };
  }

  function showFatal(msg) {
    clear(out);
    out.appendChild(el('div', { class: 'error-box', role: 'alert' },
      el('strong', { text: 'Error: ' }), txt(msg)));
    statusEl.textContent = 'Error.';
  }

  async function decodeNow() {
    clearTimeout(decodeTimer);
    describeSource();
    const my = ++decodeSeq;
    if (!hasInput()) {
      clear(out);
      lastDoc = null;
      statusEl.textContent = 'Paste or drop something to decode it.';
      verdict.textContent = '';
      return;
    }
    statusEl.textContent = 'Decoding…';
    const params = new URLSearchParams();
    if (profile.value !== 'auto') params.set('profile', profile.value);
    if (priv.checked) params.set('private_pki', '1');
    if (fileBytes && fileName) params.set('name', fileName);
    let r;
    try {
      r = await post('/api/check', params, body());
    } catch (e) {
      if (my === decodeSeq) showFatal(`could not reach mtlskit web (${e.message}). Is it still running?`);
      return;
    }
    if (my !== decodeSeq) return; /* a newer request is on its way */
    if (r.doc && r.doc.error && !r.doc.schema) {
      showFatal(`${r.doc.error.message} (HTTP ${r.status})`);
      return;
    }
    lastDoc = r.doc;
    render(r.doc);
    if (ref.value.trim()) matchNow();
  }

  function scheduleDecode() {
    clearTimeout(decodeTimer);
    decodeTimer = setTimeout(decodeNow, 250);
  }

  /* ---- rendering the decode/1 document ---- */
  function render(doc) {
    clear(out);
    const s = doc.summary || {};
    const f = s.findings || {};
    const objects = [];
    const errors = [];
    for (const input of doc.inputs || []) {
      for (const o of input.objects || []) objects.push(o);
      for (const e of input.errors || []) errors.push(e);
    }
    statusEl.textContent =
      `${plural(objects.length, 'object')} decoded, ${plural(errors.length, 'decode error')}; ` +
      `findings: ${f.error || 0} error, ${f.warning || 0} warning, ${f.notice || 0} notice ` +
      `(as of ${doc.now}).`;
    if (errors.length) out.appendChild(renderErrors(errors));
    const certs = objects.filter((o) => o.kind === 'certificate');
    if (certs.length > 1) out.appendChild(renderChain(certs));
    objects.forEach((o, i) => out.appendChild(renderObject(o, i, objects.length, doc)));
    out.appendChild(el('details', { class: 'raw' },
      el('summary', { text: 'The JSON document (schema mtlskit.decode/1)' }),
      el('pre', { text: JSON.stringify(doc, null, 2) })));
  }

  function renderErrors(errors) {
    const box = el('div', { class: 'error-box', role: 'alert' },
      el('h3', { text: errors.length === 1 ? 'Could not decode the input' : `${errors.length} objects could not be decoded` }));
    const ul = el('ul');
    for (const e of errors) {
      const li = el('li', { class: 'decode-error' });
      li.appendChild(el('strong', { text: `${e.message}` }));
      li.appendChild(txt(` (${e.code})`));
      li.appendChild(el('br'));
      let where = `at byte offset ${hexOffset(e.offset)}`;
      if (e.path) where += ` in ${e.path}`;
      if (typeof e.object_index === 'number')
        where += `; object ${e.object_index + 1}, starting at byte ${e.object_offset}`;
      li.appendChild(el('span', { class: 'offset', text: where }));
      if (e.detail) li.appendChild(el('div', { class: 'detail', text: e.detail }));
      ul.appendChild(li);
    }
    box.appendChild(ul);
    return box;
  }

  const nameText = (n) => (n && (n.rfc4514 || n.oneline)) || '(empty)';

  function renderChain(certs) {
    const sec = el('section', { class: 'chain', 'aria-label': 'Chain order' },
      el('h3', { text: 'Chain order' }));
    const ol = el('ol');
    certs.forEach((c, i) => {
      const li = el('li', null, el('span', { class: 'subj', text: nameText(c.subject) }));
      const next = certs[i + 1];
      let note, ok;
      if (c.self_issued) {
        note = 'self-issued (a root)';
        ok = i === certs.length - 1;
        if (!ok) note += ', but not last: the order is wrong';
      } else if (next) {
        ok = nameText(next.subject) === nameText(c.issuer);
        note = ok ? `issued by the next one (${nameText(c.issuer)})`
                  : `its issuer ${nameText(c.issuer)} is not the next one's subject: out of order or a missing certificate`;
      } else {
        ok = true;
        note = `issued by ${nameText(c.issuer)} (not in the input)`;
      }
      li.appendChild(el('span', { class: ok ? 'ok' : 'bad', text: ` ${ok ? '✓' : '✗'} ${note}` }));
      ol.appendChild(li);
    });
    sec.appendChild(ol);
    return sec;
  }

  function findExt(o, name) {
    return (o.extensions || []).find((e) => e.name === name);
  }

  function sanList(o) {
    const san = findExt(o, 'subjectAltName');
    if (!san || !san.value || !Array.isArray(san.value.names)) return null;
    return san.value.names.map((n) => `${n.type}: ${n.value === undefined || n.value === null ? '(' + (n.value_hex || 'no value') + ')' : n.value}`);
  }

  function keyText(k) {
    if (!k) return '';
    let t = k.type || (k.algorithm && k.algorithm.name) || 'unknown';
    if (k.bits) t += ` ${k.bits} bits`;
    if (k.ec && (k.ec.nist_name || k.ec.curve)) t += ` (${k.ec.nist_name || k.ec.curve})`;
    if (k.malformed) t += ' — malformed';
    return t;
  }

  function validityNodes(v, doc) {
    if (!v) return [txt('')];
    const nowUnix = Date.parse(doc.now) / 1000;
    const nodes = [];
    nodes.push(txt(`${v.not_before.time} → ${v.not_after.time}`));
    const left = Math.floor((v.not_after.unix - nowUnix) / 86400);
    let label, cls;
    if (v.status === 'expired' || left < 0) {
      label = `expired ${plural(-left, 'day')} ago`; cls = 'bad';
    } else if (v.status === 'not_yet_valid') {
      label = `not valid yet (starts in ${plural(Math.ceil((v.not_before.unix - nowUnix) / 86400), 'day')})`; cls = 'bad';
    } else {
      label = `${plural(left, 'day')} left`; cls = left < 30 ? 'warn' : 'ok';
    }
    nodes.push(el('br'));
    nodes.push(el('span', { class: `pill ${cls}`, text: label }));
    if (v.length_days !== undefined) nodes.push(txt(` · lifetime ${plural(v.length_days, 'day')}`));
    return nodes;
  }

  function dlRow(dl, term, ...vals) {
    dl.appendChild(el('dt', { text: term }));
    const dd = el('dd');
    for (const v of vals) dd.appendChild(typeof v === 'string' ? txt(v) : v);
    dl.appendChild(dd);
  }

  function renderObject(o, i, n, doc) {
    const card = el('article', { class: `obj kind-${o.kind}`, 'aria-labelledby': `obj-${i}` });
    const kindName = { certificate: 'Certificate', csr: 'Certificate request (CSR)', private_key: 'Private key' }[o.kind] || o.kind;
    const title = o.subject ? nameText(o.subject) : '';
    card.appendChild(el('h3', { id: `obj-${i}` },
      el('span', { class: 'num', text: `${i + 1}/${n}` }), txt(` ${kindName}`),
      title ? el('span', { class: 'title', text: ` ${title}` }) : null));
    const pos = [`object ${o.index + 1}`, `byte ${o.offset}`];
    if (o.line) pos.push(`line ${o.line}`);
    if (o.encoding) pos.push(o.encoding);
    card.appendChild(el('p', { class: 'muted pos', text: pos.join(' · ') }));
    if (o.kind !== 'certificate' && o.kind !== 'csr') {
      card.appendChild(el('p', { text: o.note || 'Not decoded here.' }));
      return card;
    }

    const dl = el('dl', { class: 'key-fields' });
    dlRow(dl, 'Subject', nameText(o.subject));
    const sans = sanList(o);
    if (sans) {
      const ul = el('ul', { class: 'sans' });
      for (const s of sans) ul.appendChild(el('li', { text: s }));
      dlRow(dl, o.kind === 'csr' ? 'Requested names (SAN)' : 'Subject Alternative Names', ul);
    } else {
      dlRow(dl, 'Subject Alternative Names', el('span', { class: 'muted', text: 'none' }));
    }
    if (o.kind === 'certificate') {
      dlRow(dl, 'Issuer', nameText(o.issuer), o.self_issued ? el('span', { class: 'muted', text: ' (self-issued)' }) : '');
      dlRow(dl, 'Validity', ...validityNodes(o.validity, doc));
      dlRow(dl, 'Serial', o.serial + (o.serial_negative ? ' (negative)' : ''));
      const bc = findExt(o, 'basicConstraints');
      if (bc && bc.value) dlRow(dl, 'CA', bc.value.ca ? `yes${bc.value.path_len !== null && bc.value.path_len !== undefined ? `, path length ${bc.value.path_len}` : ''}` : 'no');
    }
    dlRow(dl, 'Key', keyText(o.public_key));
    dlRow(dl, 'Signature algorithm', (o.signature_algorithm && o.signature_algorithm.name) || '');
    if (o.signature_check) {
      const sc = o.signature_check;
      const ok = sc.verified === true;
      const who = sc.signer === 'self' ? (o.kind === 'csr' ? 'its own key (proof of possession)' : 'its own key') : sc.signer;
      dlRow(dl, 'Signature', el('span', { class: `pill ${ok ? 'ok' : 'bad'} sigcheck`,
        text: ok ? `valid: verifies under ${who}` : `NOT valid: ${sc.result} (${sc.message})` }));
    }
    const fp = o.fingerprints;
    if (fp) {
      const fl = el('dl', { class: 'fps' });
      if (fp.sha256) dlRow(fl, 'SHA-256', el('code', { text: colonHex(fp.sha256) }));
      if (fp.sha1) dlRow(fl, 'SHA-1', el('code', { text: colonHex(fp.sha1) }));
      if (fp.spki_sha256) dlRow(fl, 'SPKI SHA-256', el('code', { text: fp.spki_sha256 }));
      if (fp.spki_pin) dlRow(fl, 'Pin (curl)', el('code', { text: fp.spki_pin }));
      dlRow(dl, 'Fingerprints', fl);
    }
    card.appendChild(dl);

    const exts = o.extensions || [];
    const ed = el('details', { class: 'exts', open: true },
      el('summary', { text: `Extensions (${exts.length})` }));
    const el2 = el('ul', { class: 'extlist' });
    for (const e of exts) {
      const li = el('li');
      li.appendChild(el('strong', { text: e.name || e.oid }));
      li.appendChild(el('span', { class: 'muted', text: ` ${e.oid}` }));
      if (e.critical) li.appendChild(el('span', { class: 'pill warn', text: 'critical' }));
      li.appendChild(renderValue(e.raw ? { value_hex: e.value_hex || e.value } : e.value));
      el2.appendChild(li);
    }
    if (!exts.length) el2.appendChild(el('li', { class: 'muted', text: 'none' }));
    ed.appendChild(el2);
    card.appendChild(ed);

    if (o.findings) card.appendChild(renderFindings(o.findings));
    return card;
  }

  function colonHex(h) {
    return String(h).toUpperCase().replace(/(..)(?!$)/g, '$1:');
  }

  function renderValue(v) {
    if (v === null || v === undefined) return el('span', { class: 'muted', text: ' —' });
    if (Array.isArray(v)) {
      if (v.every((x) => typeof x !== 'object' || x === null)) return el('div', { class: 'val', text: v.join(', ') });
      const ul = el('ul', { class: 'val' });
      for (const x of v) ul.appendChild(el('li', null, renderValue(x)));
      return ul;
    }
    if (typeof v === 'object') {
      const dl = el('dl', { class: 'val' });
      for (const [k, x] of Object.entries(v)) {
        dl.appendChild(el('dt', { text: k.replace(/_/g, ' ') }));
        dl.appendChild(el('dd', null, renderValue(x)));
      }
      return dl;
    }
    return el('span', { class: 'val', text: String(v) });
  }

  function renderFindings(f) {
    const items = f.items || [];
    const sec = el('section', { class: 'findings', 'aria-label': 'Findings' },
      el('h4', { text: `Findings: ${f.counts.error} error, ${f.counts.warning} warning, ${f.counts.notice} notice` }));
    if (!items.length) sec.appendChild(el('p', { class: 'ok', text: '✓ No finding: every check that applies passed.' }));
    for (const sev of ['error', 'warning', 'notice']) {
      const group = items.filter((x) => x.severity === sev);
      if (!group.length) continue;
      const title = { error: 'Errors', warning: 'Warnings', notice: 'Notices' }[sev];
      sec.appendChild(el('h5', { class: `sev-${sev}`, text: `${title} (${group.length})` }));
      const ul = el('ul', { class: `finding-list sev-${sev}` });
      for (const x of group) {
        const li = el('li', { class: `finding sev-${sev}` });
        li.appendChild(el('code', { class: 'fid', text: x.id }));
        if (x.detail) li.appendChild(txt(`: ${x.detail}`));
        if (x.summary) li.appendChild(el('div', { class: 'explain', text: x.summary }));
        const meta = [];
        if (x.source) meta.push(`source: ${x.source}`);
        if (x.path) meta.push(`at ${x.path}`);
        if (typeof x.offset === 'number') meta.push(`byte ${x.offset}`);
        if (x.effective) meta.push(`binding since ${x.effective}`);
        li.appendChild(el('div', { class: 'muted meta', text: meta.join(' · ') }));
        ul.appendChild(li);
      }
      sec.appendChild(ul);
    }
    if (f.dropped) sec.appendChild(el('p', { class: 'muted', text: `${f.dropped} more not shown` }));
    return sec;
  }

  /* ---- the name box (RFC 9525) ---- */
  function guessType(s) {
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return 'ip';
    if (s.includes(':') && /^[0-9a-fA-F:.]+$/.test(s)) return 'ip';
    if (s.startsWith('[') && s.endsWith(']')) return 'ip';
    if (s.startsWith('_')) return 'srv';
    if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) return 'uri';
    return 'dns';
  }

  async function matchNow() {
    clearTimeout(matchTimer);
    let r = ref.value.trim();
    const my = ++matchSeq;
    clear(verdict);
    verdict.className = 'verdict';
    if (!r) return;
    if (!hasInput()) {
      verdict.textContent = 'Paste or drop a certificate first.';
      return;
    }
    let type = reftype.value === 'auto' ? guessType(r) : reftype.value;
    if (type === 'ip' && r.startsWith('[') && r.endsWith(']')) r = r.slice(1, -1);
    const params = new URLSearchParams();
    params.set(type, r);
    if (rfc6125.checked) params.set('rfc6125', '1');
    let res;
    try {
      res = await post('/api/match', params, body());
    } catch (e) {
      if (my === matchSeq) verdict.textContent = `Could not reach mtlskit web (${e.message}).`;
      return;
    }
    if (my !== matchSeq) return;
    const d = res.doc || {};
    clear(verdict);
    if (d.error) {
      verdict.className = 'verdict bad';
      const e = d.error;
      if (e.stage === 'reference') {
        verdict.appendChild(txt(`“${r}” is not a valid ${type.toUpperCase()} reference: ${e.detail || e.message} (${e.code}, at character ${e.offset})`));
      } else if (e.status) {
        verdict.appendChild(txt(`${e.message}`));
      } else {
        verdict.appendChild(txt(`No certificate to match: ${e.message}${e.detail ? ': ' + e.detail : ''} (${e.code}, at byte offset ${e.offset})`));
      }
      return;
    }
    const refText = `${type}:${r}`;
    const mode = d.mode === 'rfc6125' ? 'RFC 6125 (legacy)' : 'RFC 9525';
    if (d.matched) {
      verdict.className = 'verdict ok';
      const p = d.match.presented;
      verdict.appendChild(el('strong', { text: '✓ MATCH' }));
      verdict.appendChild(txt(` (${mode}): ${refText} is matched by ${p.type}:${p.value} — ${d.match.reason}`));
    } else {
      verdict.className = 'verdict bad';
      verdict.appendChild(el('strong', { text: '✗ NO MATCH' }));
      verdict.appendChild(txt(` (${mode}): no presented identifier matches ${refText}`));
      const ul = el('ul');
      for (const p of d.presented || []) {
        ul.appendChild(el('li', { text: `${p.type}${p.value !== null ? ':' + p.value : ''}: ${p.verdict.replace('_', ' ')}: ${p.reason}` }));
      }
      if (!(d.presented || []).length) ul.appendChild(el('li', { text: 'the certificate has no SAN (and the subject CN is not used under RFC 9525)' }));
      if (d.more) ul.appendChild(el('li', { text: `… and ${d.more} more` }));
      verdict.appendChild(ul);
    }
  }

  function scheduleMatch() {
    clearTimeout(matchTimer);
    matchTimer = setTimeout(matchNow, 300);
  }

  /* ---- wiring ---- */
  pem.addEventListener('input', () => {
    fileBytes = null;
    scheduleDecode();
  });
  fileInput.addEventListener('change', () => {
    if (fileInput.files && fileInput.files[0]) loadFile(fileInput.files[0]);
    fileInput.value = '';
  });
  $('clear').addEventListener('click', () => {
    fileBytes = null;
    pem.value = '';
    decodeNow();
    pem.focus();
  });
  profile.addEventListener('change', decodeNow);
  priv.addEventListener('change', decodeNow);
  ref.addEventListener('input', scheduleMatch);
  reftype.addEventListener('change', matchNow);
  rfc6125.addEventListener('change', matchNow);
  $('matchform').addEventListener('submit', (ev) => {
    ev.preventDefault();
    matchNow();
  });

  /* Dropping a file anywhere on the page loads it (and never navigates). */
  for (const t of ['dragenter', 'dragover']) {
    document.addEventListener(t, (ev) => {
      ev.preventDefault();
      drop.classList.add('dragging');
    });
  }
  document.addEventListener('dragleave', (ev) => {
    if (ev.target === document.documentElement || ev.target === drop) drop.classList.remove('dragging');
  });
  document.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('dragging');
    const f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
    if (f) loadFile(f);
  });

  describeSource();
  if (pem.value.trim()) decodeNow();
})();
