// Run Lighthouse on many pages with one Chromium (tests/sitecheck.py calls this for tests/test_site_speed.py).
//
//   node run.mjs <mobile|desktop|audit> <out.json> <url> [<url> ...]
//
// audit: mobile settings, accessibility, best practices and SEO only (no performance trace: faster).
//
// Writes [{url, scores: {performance, accessibility, best-practices, seo}, failing: [...], metrics}, ...],
// one entry per run (a URL given several times is run several times).
// The browser is the system Chromium (CHROME_PATH), with the flags this machine needs; every run
// uses Lighthouse's default simulated throttling (mobile: slow 4G and a 4x slower CPU).
import fs from 'node:fs';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';

const [mode, out, ...urls] = process.argv.slice(2);
if (!['mobile', 'desktop', 'audit'].includes(mode) || !out || urls.length === 0) {
  console.error('usage: node run.mjs <mobile|desktop|audit> <out.json> <url>...');
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || '/usr/bin/chromium',
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
    '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const categories = mode === 'audit' ? ['accessibility', 'best-practices', 'seo']
  : ['performance', 'accessibility', 'best-practices', 'seo'];
const config = mode === 'desktop' ? desktopConfig : undefined;
const results = [];
try {
  for (const url of urls) {
    const runner = await lighthouse(url, {port: chrome.port, output: 'json', logLevel: 'error',
      onlyCategories: categories}, config);
    const lhr = runner.lhr;
    const scores = {};
    for (const c of categories) scores[c] = lhr.categories[c]?.score ?? null;
    const failing = [];
    for (const c of categories.filter(c => c !== 'performance')) {
      for (const ref of lhr.categories[c].auditRefs) {
        const a = lhr.audits[ref.id];
        if (ref.weight > 0 && a.score !== null && a.score < 1) {
          const items = (a.details?.items || []).slice(0, 3).map(i => JSON.stringify(i.node?.selector || i.url || i.source || i).slice(0, 160));
          failing.push(`${c}/${a.id}: ${a.title} ${items.join(' | ')}`);
        }
      }
    }
    const m = lhr.audits;
    const metrics = {};
    for (const id of ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time',
      'cumulative-layout-shift', 'speed-index']) metrics[id] = m[id]?.numericValue ?? null;
    const opportunities = Object.values(m).filter(a => a.details?.type === 'opportunity' && a.numericValue > 0)
      .map(a => `${a.id}: ${Math.round(a.numericValue)} ms ` + (a.details.items || []).slice(0, 4)
        .map(i => `${(i.url || '').split('/').pop()} ${Math.round(i.wastedMs || i.wastedBytes || 0)}`).join(', '));
    if (lhr.runtimeError) failing.push(`runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    results.push({url, scores, failing, metrics, opportunities});
    process.stderr.write(`${mode} ${url} ${JSON.stringify(scores)}\n`);
  }
} finally {
  await chrome.kill();
}
fs.writeFileSync(out, JSON.stringify(results, null, 1));
