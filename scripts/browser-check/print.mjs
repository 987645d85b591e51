#!/usr/bin/env node
// Prints the built book for reading offline: the PDF, and the source of the EPUB.
//
// Usage: node scripts/browser-check/print.mjs <book-html-dir> [--pdf FILE] [--epub-source DIR]
//
// Both start from mdBook's print.html (every page of the book in one document, in the book's
// order, each chapter after a page break), loaded in headless Chromium with window.print
// stubbed out, once highlighting and the book's own scripts have run.
//
// --pdf FILE          prints it to FILE (A4) with the book's print stylesheet (the @media print
//                     rules of src/assets/book.css): a contents page linking to every chapter,
//                     each chapter on a new page, the PDF's outline (bookmarks) from the
//                     headings, page numbers in the footer.
// --epub-source DIR   writes DIR/book.html, the book's content for pandoc to make the EPUB from,
//                     and DIR/figures/: every inline SVG figure as a file of its own (with its
//                     title and description as the image's text alternative), the flame graph's
//                     light drawing as a file, every expandable block (a figure's numbers, an
//                     answer) opened into plain text (a figure's numbers after the figure), and the screen-only parts (hidden lines of
//                     code, buttons) left out.
//
// The browser is /usr/bin/chromium, or BROWSER_CHECK_CHROMIUM. Exit status 1 on failure, 2 on
// misuse.

import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const TIMEOUT_MS = 60_000;

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node scripts/browser-check/print.mjs <book-html-dir> [--pdf FILE] [--epub-source DIR]');
  process.exit(2);
}

function parseArgs(argv) {
  let root = null;
  let pdf = null;
  let epub = null;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--pdf' || arg === '--epub-source') {
      if (i + 1 >= argv.length) usage(`${arg} needs a path`);
      if (arg === '--pdf') pdf = argv[++i];
      else epub = argv[++i];
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
  const print = path.join(root, 'print.html');
  if (!existsSync(print) || !statSync(print).isFile()) usage(`${print} does not exist: build the book first`);
  if (pdf === null && epub === null) usage('nothing to do: give --pdf FILE, --epub-source DIR or both');
  return { print: path.resolve(print), pdf: pdf && path.resolve(pdf), epub: epub && path.resolve(epub) };
}

function findChromium() {
  const candidates = [process.env.BROWSER_CHECK_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    console.error(`error: no Chromium found (tried ${candidates.join(', ')}); run scripts/setup.sh browser`);
    process.exit(2);
  }
  return found;
}

/** Opens print.html with printing stubbed and every outside request refused. */
async function openPrint(browser, file) {
  const ctx = await browser.newContext({ viewport: { width: 1000, height: 1400 }, colorScheme: 'light' });
  await ctx.addInitScript(() => {
    window.print = () => {};
    try {
      window.localStorage.setItem('mdbook-theme', 'light');
    } catch {
      // No storage: the default theme is light.
    }
  });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await page.route(/^https?:/, (route) => route.abort('blockedbyclient'));
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: TIMEOUT_MS });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  await page.waitForTimeout(300); // mdBook's load handlers (highlighting, code buttons)
  if (errors.length) throw new Error(`print.html: ${errors.join('; ')}`);
  return { ctx, page };
}

async function printPdf(browser, file, out) {
  const { ctx, page } = await openPrint(browser, file);
  try {
    await page.evaluate(() => {
      // A title and contents page: every chapter's heading, linked (links inside a PDF work).
      const main = document.querySelector('main');
      const chapters = Array.from(main.querySelectorAll('h1[id]'));
      const toc = document.createElement('nav');
      toc.className = 'print-contents';
      toc.setAttribute('aria-label', 'Contents');
      const title = document.createElement('p');
      title.className = 'print-title';
      title.textContent = document.title;
      const heading = document.createElement('h2');
      heading.textContent = 'Contents';
      const list = document.createElement('ol');
      for (const h of chapters) {
        const li = document.createElement('li');
        const a = document.createElement('a');
        a.href = `#${h.id}`;
        a.textContent = h.textContent.trim();
        li.append(a);
        list.append(li);
      }
      toc.append(title, heading, list);
      main.prepend(toc);
    });
    await page.emulateMedia({ media: 'print' });
    mkdirSync(path.dirname(out), { recursive: true });
    await page.pdf({
      path: out,
      format: 'A4',
      printBackground: true,
      scale: 0.85,
      outline: true,
      tagged: true,
      margin: { top: '18mm', bottom: '18mm', left: '16mm', right: '16mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate:
        '<div style="font-size:8pt;width:100%;text-align:center;color:#444"><span class="pageNumber"></span> / <span class="totalPages"></span></div>',
    });
  } finally {
    await ctx.close();
  }
}

async function epubSource(browser, file, dir) {
  const { ctx, page } = await openPrint(browser, file);
  try {
    const { html, figures } = await page.evaluate(() => {
      const main = document.querySelector('main').cloneNode(true);
      // Screen-only parts: hidden lines of code, code buttons, the print page's own chrome.
      main.querySelectorAll('.boring, .buttons, button, .flamegraph-dark, script, style').forEach((e) => e.remove());
      const figures = [];
      const serializer = new XMLSerializer();
      main.querySelectorAll('svg.bench-svg').forEach((svg, i) => {
        const title = svg.querySelector('title')?.textContent ?? '';
        const desc = svg.querySelector('desc')?.textContent ?? '';
        const copy = svg.cloneNode(true);
        copy.removeAttribute('class');
        copy.setAttribute('color', '#000000'); // currentColor outside the page
        const name = `figure-${String(i + 1).padStart(3, '0')}.svg`;
        figures.push({ name, text: `<?xml version="1.0" encoding="UTF-8"?>\n${serializer.serializeToString(copy)}\n` });
        const img = document.createElement('img');
        img.src = `figures/${name}`;
        img.alt = desc ? `${title}. ${desc}` : title;
        img.className = 'bench-svg';
        svg.replaceWith(img);
      });
      main.querySelectorAll('img.flamegraph').forEach((img, i) => {
        const m = /^data:image\/svg\+xml;base64,(.*)$/.exec(img.getAttribute('src') ?? '');
        if (!m) return;
        // inferno's SVG is interactive in a browser: an EPUB takes a static SVG, without the
        // DTD, scripts, event handlers, inferno's own attributes or the search controls.
        const doc = new DOMParser().parseFromString(atob(m[1]), 'image/svg+xml');
        doc.querySelectorAll('script, #unzoom, #search, #matched, #details').forEach((e) => e.remove());
        const standard = /^(xmlns(:xlink)?|xlink:href|[A-Za-z][A-Za-z0-9-]*)$/;
        for (const el of [doc.documentElement, ...doc.documentElement.querySelectorAll('*')]) {
          for (const attr of Array.from(el.attributes)) {
            if (!standard.test(attr.name) || attr.name.startsWith('on')) {
              el.removeAttribute(attr.name);
            }
          }
        }
        const svgText = serializer.serializeToString(doc.documentElement);
        const name = `flamegraph-${String(i + 1).padStart(3, '0')}.svg`;
        figures.push({ name, text: `<?xml version="1.0" encoding="UTF-8"?>\n${svgText}\n` });
        img.src = `figures/${name}`;
        img.removeAttribute('aria-describedby');
      });
      // Expandable blocks open into plain text: the summary becomes a bold paragraph.
      main.querySelectorAll('details').forEach((d) => {
        const div = document.createElement('div');
        div.className = d.className;
        for (const child of Array.from(d.childNodes)) {
          if (child.nodeName === 'SUMMARY') {
            const p = document.createElement('p');
            const b = document.createElement('strong');
            b.textContent = child.textContent.trim();
            p.append(b);
            div.append(p);
          } else {
            div.append(child);
          }
        }
        d.replaceWith(div);
        // A figure's numbers follow the figure rather than sit in its caption (pandoc reads a
        // caption as one line of text).
        const fig = div.closest('figure');
        if (fig) fig.after(div);
      });
      return { html: main.innerHTML, figures };
    });
    const title = await page.title();
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'figures'), { recursive: true });
    for (const f of figures) {
      writeFileSync(path.join(dir, 'figures', f.name), f.text);
    }
    const doc = `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>${title.replace(/[<&]/g, ' ')}</title>\n</head>\n<body>\n${html}\n</body>\n</html>\n`;
    writeFileSync(path.join(dir, 'book.html'), doc);
    return figures.length;
  } finally {
    await ctx.close();
  }
}

async function main() {
  const { print, pdf, epub } = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  try {
    if (pdf) {
      await printPdf(browser, print, pdf);
      console.log(`printed ${pdf} (${statSync(pdf).size} bytes)`);
    }
    if (epub) {
      const n = await epubSource(browser, print, epub);
      console.log(`wrote ${path.join(epub, 'book.html')} and ${n} figures`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(`error: ${err && err.stack ? err.stack : err}`);
  process.exit(1);
});
