#!/usr/bin/env node
// Loads every page of a rendered mdBook in headless Chromium and checks that it renders cleanly.
//
// Usage: node scripts/browser-check/check.mjs <book-html-dir> [--screenshots <dir>]
//
// The directory is served over HTTP on 127.0.0.1 (ephemeral port). Pages are found by crawling
// from index.html along same-origin links (including the sidebar that toc.js builds); every other
// .html file in the directory is checked too and fails as unreachable (mdBook's helper pages
// print.html, 404.html and toc.html, and anything under fonts/, css/, js/ and the like, are not
// pages). For each page:
//   - the document loads with HTTP 200;
//   - no same-origin request fails (network error or status >= 400);
//   - no request leaves the origin (they are blocked; the only exception is mdBook's playground
//     crate-list request, answered locally with an empty list and reported in the page's line);
//   - no console error and no uncaught exception;
//   - every <img> finished loading with a non-zero natural width;
//   - every top-level inline <svg> inside <main> has a non-empty bounding box;
//   - every same-origin link points at a file that exists.
// The search index (searchindex[-hash].js or .json) must exist and be non-empty, and the file the
// pages name in window.path_to_searchindex_js must load.
//
// Every page is also audited with axe-core (the pinned npm package) in mdBook's 'light' theme and
// in its dark 'navy' theme (mdBook keeps the theme in localStorage 'mdbook-theme'): a violation of
// impact serious or critical fails the page; moderate and minor ones are counted in the summary.
// The summary prints the violations found, by theme, impact and rule (as "nodes on pages").
//
// With --screenshots DIR, each page is also captured full-page in mdBook's 'light' theme and in
// its dark 'navy' theme, as DIR/<slug>-light.png and DIR/<slug>-dark.png.
//
// Output: one line per page ("ok  path (...)" or "FAIL path: reasons"), one for the search index,
// then "N passed, M failed". Exit status 1 when anything failed or no page was found, 2 on misuse.
//
// The browser is /usr/bin/chromium (Debian's package, or the Chromium on GitHub's Ubuntu runners);
// BROWSER_CHECK_CHROMIUM overrides it, and chromium-browser or google-chrome are tried after it.

import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, statSync, createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import process from 'node:process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = require.resolve('axe-core/axe.min.js');
const AXE_VERSION = require('axe-core/package.json').version;
const AXE_FAILING = new Set(['serious', 'critical']);

const EXCLUDED_FILES = new Set(['print.html', '404.html', 'toc.html']);
const EXCLUDED_DIRS = new Set(['fonts', 'FontAwesome', 'css', 'js', 'node_modules']);
const PAGE_TIMEOUT_MS = 30_000;
const IMAGE_WAIT_MS = 10_000;
const VIEWPORT = { width: 1280, height: 900 };
const THEMES = [
  { name: 'light', theme: 'light', colorScheme: 'light' },
  { name: 'dark', theme: 'navy', colorScheme: 'dark' },
];
// mdBook's book.js asks the Rust playground which crates it offers, on every page that has a
// runnable Rust block. The check runs offline, so this one request is answered here.
const PLAYGROUND_CRATES_URL = 'https://play.rust-lang.org/meta/crates';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.eot': 'application/vnd.ms-fontobject',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.wasm': 'application/wasm',
};

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node scripts/browser-check/check.mjs <book-html-dir> [--screenshots <dir>]');
  process.exit(2);
}

function parseArgs(argv) {
  let root = null;
  let screenshots = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--screenshots') {
      if (i + 1 >= argv.length) usage('--screenshots needs a directory');
      screenshots = argv[++i];
    } else if (arg.startsWith('--screenshots=')) {
      screenshots = arg.slice('--screenshots='.length);
    } else if (arg === '-h' || arg === '--help') {
      usage();
    } else if (arg.startsWith('-')) {
      usage(`unknown option ${arg}`);
    } else if (root === null) {
      root = arg;
    } else {
      usage(`unexpected argument ${arg}`);
    }
  }
  if (root === null) usage('missing <book-html-dir>');
  if (!existsSync(root) || !statSync(root).isDirectory()) usage(`${root} is not a directory`);
  if (screenshots === '') usage('--screenshots needs a directory');
  return { root: path.resolve(root), screenshots: screenshots && path.resolve(screenshots) };
}

/** All .html pages under root as '/'-separated relative paths, excluding mdBook's helper pages. */
function listPages(root) {
  const pages = [];
  const walk = (dir, rel) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!EXCLUDED_DIRS.has(entry.name)) walk(path.join(dir, entry.name), relPath);
      } else if (entry.name.endsWith('.html') && !(rel === '' && EXCLUDED_FILES.has(entry.name))) {
        pages.push(relPath);
      }
    }
  };
  walk(root, '');
  return pages.sort();
}

/** Maps a URL path to a file under root, or null when it would escape root. */
function resolveUrlPath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  return file;
}

/** The file a request for urlPath is answered with, or null for a 404. */
function fileForUrlPath(root, urlPath) {
  let file = resolveUrlPath(root, urlPath);
  if (file === null || !existsSync(file)) return null;
  if (statSync(file).isDirectory()) {
    file = path.join(file, 'index.html');
    if (!existsSync(file)) return null;
  }
  return statSync(file).isFile() ? file : null;
}

function startServer(root) {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = req.method === 'GET' || req.method === 'HEAD' ? fileForUrlPath(root, url.pathname) : null;
    if (file === null) {
      const status = req.method === 'GET' || req.method === 'HEAD' ? 404 : 405;
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(status === 404 ? 'not found\n' : 'method not allowed\n');
      return;
    }
    const type = MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    res.writeHead(200, {
      'Content-Type': type,
      'Content-Length': statSync(file).size,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
    } else {
      createReadStream(file).on('error', () => res.destroy()).pipe(res);
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function findChromium() {
  const candidates = [
    process.env.BROWSER_CHECK_CHROMIUM,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome-stable',
    '/usr/bin/google-chrome',
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    console.error(`error: no Chromium found (tried ${candidates.join(', ')}); run scripts/setup.sh browser`);
    process.exit(2);
  }
  return found;
}

/** '/ch01/intro.html' -> 'ch01-intro'. */
function slugFor(page) {
  return page.replace(/\.html$/, '').replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'index';
}

/** Same-origin link targets (as '/'-rooted paths) read from the live DOM. */
async function collectLinks(page, origin) {
  const hrefs = await page.evaluate(() => Array.from(document.querySelectorAll('a[href]'), (a) => a.href));
  const paths = new Set();
  for (const href of hrefs) {
    let url;
    try {
      url = new URL(href);
    } catch {
      continue;
    }
    if (url.origin !== origin) continue;
    paths.add(url.pathname);
  }
  return [...paths];
}

/** Waits for every <img> to settle (lazy ones are switched to eager), then reports the broken ones. */
async function checkImages(page) {
  return page.evaluate(async (waitMs) => {
    const images = Array.from(document.images);
    for (const img of images) {
      if (img.loading === 'lazy') img.loading = 'eager';
    }
    await Promise.all(
      images.map((img) =>
        img.complete
          ? null
          : new Promise((resolve) => {
              img.addEventListener('load', resolve, { once: true });
              img.addEventListener('error', resolve, { once: true });
              setTimeout(resolve, waitMs);
            }),
      ),
    );
    const broken = images
      .filter((img) => !(img.complete && img.naturalWidth > 0))
      .map((img) => img.getAttribute('src') ?? '(no src)');
    return { count: images.length, broken };
  }, IMAGE_WAIT_MS);
}

/** Top-level inline <svg> elements in <main> whose bounding box is empty. */
async function checkSvgs(page) {
  return page.evaluate(() => {
    const main = document.querySelector('main');
    if (!main) return { count: 0, empty: [], noMain: true };
    const svgs = Array.from(main.querySelectorAll('svg')).filter(
      (svg) =>
        // Nested <svg> are part of their outer figure; icons in buttons belong to mdBook's chrome;
        // content of a closed <details> is hidden on purpose.
        !svg.parentElement.closest('svg') &&
        !svg.closest('button, .buttons, .fa-svg') &&
        !svg.closest('details:not([open])'),
    );
    const empty = [];
    svgs.forEach((svg, i) => {
      const box = svg.getBoundingClientRect();
      if (!(box.width > 0 && box.height > 0)) {
        const label = svg.id ? `#${svg.id}` : `svg ${i + 1}`;
        empty.push(`${label} (${box.width}x${box.height})`);
      }
    });
    return { count: svgs.length, empty, noMain: false };
  });
}

/**
 * Opens a page in ctx whose listeners append to `problems` (and to `notes`). Call
 * `problems.finish()` after the page is done for the final, de-duplicated list.
 */
async function openPage(ctx, origin, problems, notes) {
  const page = await ctx.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  // Chromium also logs every failed resource load as a console error; those are dropped once the
  // request itself has been reported (see problems.finish), so each failure is listed once.
  const failedUrls = new Set();
  const resourceErrors = [];
  problems.finish = () => {
    for (const { url: u, line } of resourceErrors) if (!failedUrls.has(u)) problems.push(line);
    return [...new Set(problems)];
  };
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      const where = loc && loc.url ? ` (${loc.url.replace(origin, '')}:${loc.lineNumber})` : '';
      const line = `console error: ${msg.text()}${where}`;
      if (msg.text().startsWith('Failed to load resource') && loc && loc.url) {
        resourceErrors.push({ url: loc.url, line });
      } else {
        problems.push(line);
      }
    }
  });
  page.on('pageerror', (err) => problems.push(`uncaught exception: ${err.message}`));
  page.on('requestfailed', (req) => {
    // Blocked cross-origin requests are reported by the route handler.
    // A response with an error status was reported already (Chromium then aborts the request too).
    if (new URL(req.url()).origin !== origin || failedUrls.has(req.url())) return;
    failedUrls.add(req.url());
    problems.push(`request failed: ${req.url().replace(origin, '')} (${req.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) {
      failedUrls.add(res.url());
      problems.push(`HTTP ${res.status()}: ${res.url().replace(origin, '')}`);
    }
  });
  page.on('dialog', (dialog) => {
    problems.push(`unexpected ${dialog.type()} dialog: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  await page.route(
    (u) => u.origin !== origin && (u.protocol === 'http:' || u.protocol === 'https:'),
    async (route) => {
      const reqUrl = route.request().url();
      if (reqUrl === PLAYGROUND_CRATES_URL) {
        notes.add('playground crate list answered offline');
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': '*' },
          body: JSON.stringify({ crates: [] }),
        });
      } else {
        failedUrls.add(reqUrl);
        problems.push(`external request blocked: ${reqUrl}`);
        await route.abort('blockedbyclient');
      }
    },
  );
  return page;
}

async function navigate(page, url, problems) {
  let response = null;
  try {
    response = await page.goto(url, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
  } catch (err) {
    problems.push(`navigation failed: ${err.message.split('\n')[0]}`);
    return false;
  }
  if (!response) {
    problems.push('navigation returned no response');
    return false;
  }
  if (response.status() !== 200) {
    problems.push(`page returned HTTP ${response.status()}`);
    return false;
  }
  try {
    await page.waitForLoadState('networkidle', { timeout: PAGE_TIMEOUT_MS });
  } catch {
    problems.push('network did not go idle');
  }
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  return true;
}

async function checkPage(ctx, root, origin, rel, reachable) {
  const problems = [];
  const notes = new Set();
  const url = `${origin}/${rel.split('/').map(encodeURIComponent).join('/')}`;
  const page = await openPage(ctx, origin, problems, notes);
  let images = { count: 0, broken: [] };
  let svgs = { count: 0, empty: [], noMain: false };
  let links = [];
  let marks = { edition: false, cite: false };
  try {
    if (await navigate(page, url, problems)) {
      images = await checkImages(page);
      svgs = await checkSvgs(page);
      links = await collectLinks(page, origin);
      marks = await page.evaluate(() => ({
        edition: document.querySelector('main .edition') !== null,
        cite: document.querySelector('main .cite-chapter') !== null,
      }));
      // Give late console errors (e.g. from timers) a moment to arrive.
      await page.waitForTimeout(100);
    }
  } catch (err) {
    problems.push(`check failed: ${err.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  const pageProblems = problems.finish();
  problems.length = 0;
  problems.push(...pageProblems);
  for (const src of images.broken) problems.push(`image did not load: ${src}`);
  for (const label of svgs.empty) problems.push(`inline svg has an empty box: ${label}`);
  if (svgs.noMain) problems.push('no <main> element');
  // The front page states the edition; every chapter page ends with its citation.
  if (rel === 'index.html' && !marks.edition) problems.push('no edition line (version and commit)');
  if (/^ch\d\d-[^/]+\.html$/.test(rel) && !marks.cite) problems.push('no "Cite this chapter" line');
  for (const linkPath of links) {
    if (fileForUrlPath(root, linkPath) === null) problems.push(`broken link: ${linkPath}`);
  }
  if (!reachable) problems.push('not linked from any page reachable from index.html');
  return { rel, problems: [...new Set(problems)], notes: [...notes], images: images.count, svgs: svgs.count, links };
}

/** A browser context whose pages open in mdBook theme `theme` (set before any page script). */
async function themedContext(browser, theme, colorScheme) {
  const ctx = await browser.newContext({ viewport: VIEWPORT, colorScheme });
  await ctx.addInitScript((t) => {
    try {
      window.localStorage.setItem('mdbook-theme', t);
    } catch {
      // Pages without storage access keep the default theme.
    }
  }, theme);
  return ctx;
}

/**
 * Runs axe-core on every page in each theme. Returns the problems per page (serious and critical
 * violations, with the theme) and every violation found, for the summary.
 */
async function auditPages(browser, origin, pages) {
  const failures = new Map();
  const found = []; // { theme, impact, rule, nodes, page }
  for (const { name, theme, colorScheme } of THEMES) {
    const ctx = await themedContext(browser, theme, colorScheme);
    for (const rel of pages) {
      const problems = [];
      const page = await openPage(ctx, origin, problems, new Set());
      try {
        const url = `${origin}/${rel.split('/').map(encodeURIComponent).join('/')}`;
        if (await navigate(page, url, problems)) {
          const applied = await page.evaluate((t) => document.documentElement.classList.contains(t), theme);
          if (!applied) problems.push(`theme '${theme}' was not applied`);
          await page.addScriptTag({ path: AXE_SOURCE });
          const violations = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map((v) => ({
              rule: v.id,
              impact: v.impact,
              help: v.help,
              targets: v.nodes.map((n) => n.target.join(' ')),
            }));
          });
          for (const v of violations) {
            found.push({ theme: name, impact: v.impact, rule: v.rule, nodes: v.targets.length, page: rel });
            if (AXE_FAILING.has(v.impact)) {
              const shown = v.targets.slice(0, 3).join(', ') + (v.targets.length > 3 ? ', ...' : '');
              problems.push(`axe ${v.impact} ${v.rule} (${v.help}): ${v.targets.length} nodes: ${shown}`);
            }
          }
        }
      } catch (err) {
        problems.push(`axe failed: ${err.message.split('\n')[0]}`);
      } finally {
        await page.close();
      }
      const all = problems.finish();
      if (all.length) {
        const list = failures.get(rel) ?? [];
        list.push(...all.map((problem) => ({ theme: name, problem })));
        failures.set(rel, list);
      }
    }
    await ctx.close();
  }
  return { failures, found };
}

/** The axe summary: one line per theme, impact and rule. */
function axeSummary(found) {
  const groups = new Map();
  for (const f of found) {
    const key = `${f.theme}\t${f.impact}\t${f.rule}`;
    const g = groups.get(key) ?? { nodes: 0, pages: new Set() };
    g.nodes += f.nodes;
    g.pages.add(f.page);
    groups.set(key, g);
  }
  const order = { critical: 0, serious: 1, moderate: 2, minor: 3 };
  const lines = [...groups]
    .map(([key, g]) => {
      const [theme, impact, rule] = key.split('\t');
      return { theme, impact, rule, text: `axe ${theme} ${impact} ${rule}: ${g.nodes} nodes on ${g.pages.size} pages` };
    })
    .sort((a, b) => a.theme.localeCompare(b.theme) || order[a.impact] - order[b.impact] || a.rule.localeCompare(b.rule))
    .map((l) => l.text);
  return lines;
}

async function takeScreenshots(browser, origin, pages, dir) {
  mkdirSync(dir, { recursive: true });
  const failures = new Map();
  for (const { name, theme, colorScheme } of THEMES) {
    // mdBook reads the theme from localStorage before it paints; set it before any page script.
    const ctx = await themedContext(browser, theme, colorScheme);
    for (const rel of pages) {
      const problems = [];
      const page = await openPage(ctx, origin, problems, new Set());
      try {
        const url = `${origin}/${rel.split('/').map(encodeURIComponent).join('/')}`;
        if (await navigate(page, url, problems)) {
          const applied = await page.evaluate(
            (t) => document.documentElement.classList.contains(t),
            theme,
          );
          if (!applied) problems.push(`theme '${theme}' was not applied`);
          await page.screenshot({ path: path.join(dir, `${slugFor(rel)}-${name}.png`), fullPage: true });
        }
      } catch (err) {
        problems.push(`screenshot failed: ${err.message.split('\n')[0]}`);
      } finally {
        await page.close();
      }
      const shotProblems = problems.finish();
      if (shotProblems.length) {
        const list = failures.get(rel) ?? [];
        list.push(...shotProblems.map((problem) => ({ theme: name, problem })));
        failures.set(rel, list);
      }
    }
    await ctx.close();
  }
  return failures;
}

/** Checks the search index files on disk and the one the pages point at. */
async function checkSearchIndex(browser, root, origin) {
  const problems = [];
  const files = readdirSync(root).filter((f) => /^searchindex(-[A-Za-z0-9]+)?\.(js|json)$/.test(f));
  if (files.length === 0) problems.push('no searchindex*.js or searchindex*.json');
  for (const f of files) {
    const text = (await readFile(path.join(root, f), 'utf8')).trim();
    if (text.length === 0) problems.push(`${f} is empty`);
  }
  // The file the pages would load when search opens.
  if (existsSync(path.join(root, 'index.html'))) {
    const ctx = await browser.newContext();
    const notes = new Set();
    const page = await openPage(ctx, origin, [], notes);
    try {
      await page.goto(`${origin}/index.html`, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
      const named = await page.evaluate(async () => {
        const src = window.path_to_searchindex_js;
        if (!src) return null;
        const res = await fetch(src);
        return { src, status: res.status, length: (await res.text()).trim().length };
      });
      if (named !== null) {
        if (named.status !== 200) problems.push(`${named.src} named by the pages returned HTTP ${named.status}`);
        else if (named.length === 0) problems.push(`${named.src} named by the pages is empty`);
      }
    } catch (err) {
      problems.push(`could not read window.path_to_searchindex_js: ${err.message.split('\n')[0]}`);
    } finally {
      await ctx.close();
    }
  }
  return { files, problems };
}

async function main() {
  const { root, screenshots } = parseArgs(process.argv.slice(2));
  const allPages = listPages(root);
  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const executablePath = findChromium();
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  console.log(`checking ${root} with ${executablePath} (${browser.version()}) at ${origin}`);

  let passed = 0;
  let failed = 0;
  const report = (ok, line) => {
    if (ok) passed++;
    else failed++;
    console.log(line);
  };

  try {
    const results = new Map();
    if (allPages.length === 0) {
      report(false, `FAIL ${root}: no .html pages found`);
    } else {
      // Crawl from index.html through same-origin links, then check whatever was not reached.
      const known = new Set(allPages);
      const queue = known.has('index.html') ? ['index.html'] : [];
      if (queue.length === 0) report(false, 'FAIL index.html: missing');
      const seen = new Set(queue);
      const ctx = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
      const run = async (rel, reachable) => {
        const result = await checkPage(ctx, root, origin, rel, reachable);
        results.set(rel, result);
        for (const linkPath of result.links) {
          let target = linkPath.replace(/^\/+/, '');
          if (target === '' || target.endsWith('/')) target += 'index.html';
          try {
            target = decodeURIComponent(target);
          } catch {
            continue;
          }
          if (known.has(target) && !seen.has(target)) {
            seen.add(target);
            queue.push(target);
          }
        }
      };
      while (queue.length) await run(queue.shift(), true);
      for (const rel of allPages) if (!seen.has(rel)) await run(rel, false);
      await ctx.close();

      const shotFailures = screenshots ? await takeScreenshots(browser, origin, allPages, screenshots) : new Map();
      const audit = await auditPages(browser, origin, allPages);
      for (const rel of allPages) {
        const r = results.get(rel);
        // The screenshot and audit passes load each page again; list only what they add.
        const themed = [...(shotFailures.get(rel) ?? []), ...(audit.failures.get(rel) ?? [])]
          .filter(({ problem }) => !r.problems.includes(problem))
          .map(({ theme, problem }) => `${theme} theme: ${problem}`);
        const problems = [...r.problems, ...themed];
        if (problems.length === 0) {
          const extra = r.notes.length ? `; ${r.notes.join('; ')}` : '';
          report(true, `ok  ${rel} (${r.images} images, ${r.svgs} svgs${extra})`);
        } else {
          report(false, `FAIL ${rel}: ${problems.join('; ')}`);
        }
      }
      const summary = axeSummary(audit.found);
      console.log(`axe-core ${AXE_VERSION}, themes ${THEMES.map((t) => t.theme).join(' and ')}: ${summary.length ? 'violations by theme, impact and rule:' : 'no violations'}`);
      for (const line of summary) console.log(`  ${line}`);
    }

    const search = await checkSearchIndex(browser, root, origin);
    if (search.problems.length === 0) report(true, `ok  search index (${search.files.join(', ')})`);
    else report(false, `FAIL search index: ${search.problems.join('; ')}`);
    if (screenshots) console.log(`screenshots in ${screenshots}`);
  } finally {
    await browser.close();
    server.close();
  }

  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || allPages.length === 0 ? 1 : 0;
}

main().catch((err) => {
  console.error(err && err.stack ? err.stack : err);
  console.log('0 passed, 1 failed');
  process.exit(1);
});
