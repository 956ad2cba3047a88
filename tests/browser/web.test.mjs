// web.test.mjs: `mtlskit web` in a real browser. Headless Debian chromium
// driven by playwright-core. Run by tests/integration/web_browser.sh, which
// starts the server, makes the certificates with `mtlskit pki` / `mtlskit
// csr`, installs playwright-core with `npm ci` and passes:
//   WEB_URL        http://127.0.0.1:PORT/
//   PW_MODULES     the node_modules directory holding playwright-core
//   FIX_CHAIN      PEM: server certificate then the CA (SAN www.example.com, IP 127.0.0.1)
//   FIX_CERT_DER   the server certificate as DER
//   FIX_CSR        PEM CSR (SAN a.example.com)
//   ARTIFACT_DIR   where web.png (the CI artifact) and web-phone.png go
//   CHROMIUM       the browser (default /usr/bin/chromium)
// Every wait is bounded (Playwright timeouts); exit status 0 only when
// every check passed.
import { createRequire } from 'node:module';
import { readFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

const require = createRequire(path.join(process.env.PW_MODULES || process.cwd(), 'x.js'));
const { chromium } = require('playwright-core');

const env = (k) => {
  const v = process.env[k];
  if (!v) throw new Error(`${k} is not set`);
  return v;
};
const URL_ = env('WEB_URL');
const chain = readFileSync(env('FIX_CHAIN'), 'utf8');
const csr = readFileSync(env('FIX_CSR'), 'utf8');
const certDer = readFileSync(env('FIX_CERT_DER'));
const artifacts = env('ARTIFACT_DIR');
mkdirSync(artifacts, { recursive: true });

let pass = 0, fail = 0;
async function check(name, fn) {
  try {
    await fn();
    pass++;
    console.log(`ok   ${name}`);
  } catch (e) {
    fail++;
    console.log(`FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`);
  }
}
function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/* A CSR whose signature no longer verifies: the last byte of the DER (in
 * the signature value) flipped; the structure stays valid. */
function tamperedCsr(pemText) {
  const b64 = pemText.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  der[der.length - 1] ^= 0x01;
  const lines = der.toString('base64').match(/.{1,64}/g).join('\n');
  return `-----BEGIN CERTIFICATE REQUEST-----\n${lines}\n-----END CERTIFICATE REQUEST-----\n`;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-extensions'],
  timeout: 60000,
});
const consoleErrors = [];
const externalRequests = [];
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(15000);
  const page = await context.newPage();
  // 422 answers (bad input, on purpose below) are logged by Chromium as
  // "Failed to load resource"; anything else is an error of the page.
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource: .* 422/.test(m.text())) consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(URL_) && !r.url().startsWith('data:')) externalRequests.push(r.url()); });

  await check('the page loads with its script and style (CSP allows them)', async () => {
    const res = await page.goto(URL_, { waitUntil: 'load' });
    assert(res.status() === 200, `status ${res.status()}`);
    assert((await page.title()).includes('mtlskit'), 'title');
    const csp = res.headers()['content-security-policy'] || '';
    assert(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `CSP ${csp}`);
    // the script ran: it fills the source line
    await page.getByText('Nothing loaded yet.').waitFor();
    // the stylesheet applied: the drop zone has its dashed border
    const border = await page.$eval('#drop', (e) => getComputedStyle(e).borderTopStyle);
    assert(border === 'dashed', `border ${border}`);
  });

  await check('paste a certificate chain: SANs, fields, a finding, the chain order', async () => {
    await page.getByLabel(/Paste PEM/).fill(chain);
    const sans = page.locator('.obj').first().locator('.sans li');
    await sans.filter({ hasText: 'DNS: www.example.com' }).waitFor();
    await sans.filter({ hasText: 'IP: 127.0.0.1' }).waitFor();
    const first = page.locator('.obj').first();
    const text = await first.innerText();
    assert(text.includes('CN=www.example.com'), 'subject');
    assert(/\d+ days left/.test(text), 'days left');
    assert(text.includes('EC 256 bits'), 'key type and size');
    assert(/SHA-256/.test(text), 'fingerprints');
    assert(text.includes('subjectAltName') && text.includes('2.5.29.17'), 'extension list');
    // a finding, with its explanation and source, under its severity
    const f = first.locator('.finding.sev-error', { hasText: 'e_server_no_revocation_info' });
    await f.waitFor();
    assert((await f.innerText()).includes('CABF BR'), 'finding source');
    assert(await first.locator('h5.sev-error').count() === 1, 'errors heading');
    const chainText = await page.locator('.chain').innerText();
    assert(chainText.includes('issued by the next one') && chainText.includes('self-issued (a root)'), `chain: ${chainText}`);
    assert(await page.locator('.chain .bad').count() === 0, 'chain marked bad');
    assert((await page.locator('#status').innerText()).includes('2 objects decoded'), 'status line');
  });

  await check('the hostname box: RFC 9525 verdicts against the first certificate', async () => {
    const box = page.getByLabel(/identify this service/);
    await box.fill('www.example.com');
    await page.locator('#verdict.ok', { hasText: 'MATCH' }).waitFor();
    assert((await page.locator('#verdict').innerText()).includes('exact match'), 'reason');
    await box.fill('127.0.0.1');
    await page.locator('#verdict.ok', { hasText: 'IP:127.0.0.1' }).waitFor();
    await box.fill('other.example.org');
    await page.locator('#verdict.bad', { hasText: 'NO MATCH' }).waitFor();
    assert((await page.locator('#verdict').innerText()).includes('www.example.com'), 'presented ids listed');
    await box.press('Enter'); // the form submits by keyboard without navigating
    assert(page.url().startsWith(URL_), 'no navigation');
    await box.fill('bad..name');
    await page.locator('#verdict.bad', { hasText: 'not a valid DNS reference' }).waitFor();
    await box.fill('www.example.com');
    await page.locator('#verdict.ok', { hasText: 'MATCH' }).waitFor();
  });

  await check('screenshot of the decoded certificate (CI artifact)', async () => {
    const file = path.join(artifacts, 'web.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
  });

  await check('paste a CSR: its signature verdict', async () => {
    await page.getByLabel(/Paste PEM/).fill(csr);
    const sig = page.locator('.obj.kind-csr .sigcheck');
    await sig.filter({ hasText: 'valid: verifies under its own key (proof of possession)' }).waitFor();
    const text = await page.locator('.obj').first().innerText();
    assert(text.includes('Certificate request (CSR)'), 'kind');
    assert(text.includes('DNS: a.example.com'), 'requested names');
    await page.getByLabel(/Paste PEM/).fill(tamperedCsr(csr));
    await page.locator('.obj.kind-csr .sigcheck.bad', { hasText: 'NOT valid' }).waitFor();
  });

  await check('paste garbage: the error with its byte offset, not a blank page', async () => {
    await page.getByLabel(/Paste PEM/).fill('this is not a certificate');
    const box = page.locator('.error-box[role=alert]');
    await box.waitFor();
    const t = await box.innerText();
    assert(t.includes('MTK_ERR_PEM_NOTHING') && /byte offset \d+/.test(t), t);
    // a PEM block cut short: the error names where
    await page.getByLabel(/Paste PEM/).fill(chain.slice(0, 300));
    await page.locator('.error-box', { hasText: 'MTK_ERR_PEM_UNTERMINATED' }).waitFor();
    // a certificate with a broken DER inside valid armour: the DER error's offset
    const b64 = chain.split('-----')[2].replace(/\s+/g, '');
    const der = Buffer.from(b64, 'base64');
    der[1] = 0x84; // long-form length that runs past the end
    const bad = `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;
    await page.getByLabel(/Paste PEM/).fill(bad);
    const e3 = page.locator('.error-box .decode-error');
    await e3.waitFor();
    assert(/at byte offset \d+ \(0x[0-9a-f]+\)/.test(await e3.innerText()), await e3.innerText());
  });

  await check('a DER file through the file picker', async () => {
    await page.locator('#file').setInputFiles({ name: 'server.der', mimeType: 'application/pkix-cert', buffer: certDer });
    await page.locator('.sans li', { hasText: 'DNS: www.example.com' }).waitFor();
    assert((await page.locator('#source').innerText()).includes('server.der'), 'source line');
    assert((await page.locator('.obj .pos').first().innerText()).includes('DER'), 'encoding DER');
  });

  await check('keyboard: Tab reaches the textarea and the name box, focus is visible', async () => {
    await page.goto(URL_);
    const seen = new Set();
    for (let i = 0; i < 15; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => document.activeElement && document.activeElement.id);
      if (id) seen.add(id);
    }
    assert(seen.has('pem') && seen.has('ref') && seen.has('profile'), `focused: ${[...seen].join(',')}`);
    await page.focus('#ref');
    const outline = await page.$eval('#ref', (e) => getComputedStyle(e).outlineStyle);
    assert(outline !== 'none', `outline ${outline}`);
  });

  await check('a phone-sized screen: no horizontal scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    await page.getByLabel(/Paste PEM/).fill(chain);
    await page.locator('.sans li', { hasText: 'DNS: www.example.com' }).first().waitFor();
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(over <= 0, `page is ${over}px wider than the screen`);
    await page.screenshot({ path: path.join(artifacts, 'web-phone.png'), fullPage: false });
  });

  await check('no console error, no CSP violation, no request to another origin', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join(' | '));
    assert(externalRequests.length === 0, externalRequests.join(' '));
  });
} finally {
  await browser.close();
}
console.log(`${pass} passed, ${fail} failed`);
process.exit(fail === 0 ? 0 : 1);
