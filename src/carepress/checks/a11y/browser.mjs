// The site as a patient's browser meets it: Debian's Chromium (headless, driven by
// playwright-core), axe-core on every page in light and dark mode, and the checks axe
// does not make on topic pages (one h1, skip link, visible keyboard focus, lang, alt
// text, print stylesheet). Screenshots of the first topic page go to --shots.
//
// node browser.mjs --base http://127.0.0.1:PORT/ --shots DIR page.html ...
// prints one JSON object on stdout; site_accessibility.py reads it.
// Modules are resolved from the project folder (the working directory), where
// `npm ci` put them.
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const require = createRequire(join(process.cwd(), "package.json"));
const { chromium } = require("playwright-core");
const axePath = require.resolve("axe-core/axe.min.js");

const { values: opts, positionals: pages } = parseArgs({
  allowPositionals: true,
  options: { base: { type: "string" }, shots: { type: "string" } },
});

// WCAG 2.1 A and AA only. Text contrast: 4.5:1 for large text too (axe allows 3:1 there;
// patient pages hold themselves to the stricter figure).
const AXE_OPTIONS = {
  runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
  resultTypes: ["violations", "incomplete"],
  checks: {
    "color-contrast": {
      options: {
        ignoreUnicode: true, ignoreLength: false, ignorePseudo: false,
        boldValue: 700, boldTextPt: 14, largeTextPt: 18,
        contrastRatio: { normal: { expected: 4.5 }, large: { expected: 4.5 } },
        pseudoSizeThreshold: 0.25, shadowOutlineEmMax: 0.2, textStrokeEmMin: 0.03,
      },
    },
  },
};
const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
};
const MAX_TAB_STOPS = 80;
// Furo's screen-only parts: none of them may print.
const SCREEN_ONLY = [
  ".sidebar-drawer .sidebar-search-container", ".sidebar-drawer .sidebar-tree",
  ".toc-drawer", ".mobile-header", ".theme-toggle-container", ".back-to-top",
  ".related-pages", ".skip-to-content", ".carepress-downloads", ".content-icon-container",
];

const browser = await chromium.launch({
  executablePath: process.env.CAREPRESS_CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// Until the page's running transitions and animations end, or `ms` pass (an endless one
// never ends): what a fresh page shows once they are over.
async function settle(page, ms) {
  await page.evaluate((ms) => Promise.race([
    Promise.all(document.getAnimations()
      .filter((a) => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
      .map((a) => a.finished.catch(() => {}))),
    new Promise((resolve) => setTimeout(resolve, ms)),
  ]), ms);
}

// The page in the other colour scheme, as a page loaded in it shows it: the transitions
// the switch starts (colours, backgrounds) are jumped to their end.
async function scheme(page, colorScheme) {
  await page.emulateMedia({ colorScheme });
  await page.evaluate(() => {
    for (const a of document.getAnimations())
      if (a instanceof CSSTransition) a.finish();
  });
}

// axe-core's verdict on the page; `inject`: put axe on the page first (once per load).
async function axe(page, inject) {
  if (inject) await page.addScriptTag({ path: axePath });
  const result = await page.evaluate((options) => window.axe.run(document, options), AXE_OPTIONS);
  const simplify = (items) => items.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({
      target: n.target.join(" "), html: n.html.slice(0, 200),
      summary: (n.failureSummary || "").replace(/\s+/g, " ").trim(),
    })),
  }));
  return { violations: simplify(result.violations), incomplete: simplify(result.incomplete) };
}

// Checks on what the page shows; each returns [] or a list of problems (strings).
async function structure(page) {
  return page.evaluate(() => {
    const problems = [];
    const h1 = document.querySelectorAll("h1");
    if (h1.length !== 1) problems.push(`one-h1: the page has ${h1.length} h1 headings, not 1`);
    if (!document.documentElement.lang) problems.push("lang: <html> has no lang attribute");
    for (const img of document.querySelectorAll("img")) {
      const src = img.getAttribute("src") || "";
      const alt = img.getAttribute("alt");
      const file = src.split("/").pop();
      const decorative = alt === "" || img.getAttribute("role") === "presentation";
      if (alt === null) problems.push(`image-alt: ${src} has no alt attribute`);
      else if (!decorative && (alt.trim() === src || alt.trim().split("/").pop() === file))
        problems.push(`image-alt: ${src} has no alt text (its alt is the file name: add :alt: to the figure)`);
    }
    return problems;
  });
}

async function keyboard(page) {
  const problems = [];
  await page.keyboard.press("Tab");
  await settle(page, 500);  // let a sliding skip link finish its transition
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const href = a && a.getAttribute("href");
    if (!a || a.tagName !== "A" || !href || !href.startsWith("#")) return null;
    const r = a.getBoundingClientRect();
    return { text: a.textContent.trim(), target: !!document.getElementById(href.slice(1)),
             visible: r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight };
  });
  if (!skip) problems.push("skip-link: the first Tab stop is not a link to the main content");
  else if (!skip.target) problems.push(`skip-link: "${skip.text}" points at no element`);
  else if (!skip.visible) problems.push(`skip-link: "${skip.text}" stays hidden when focused`);

  // Visible focus: each Tab stop must look different focused and unfocused.
  for (let stop = 0; stop < MAX_TAB_STOPS; stop++) {
    if (stop) await page.keyboard.press("Tab");
    const el = await page.evaluateHandle(() => document.activeElement);
    const info = await el.evaluate((e) => {
      if (e === document.body) return { body: true };  // wrapped round: every stop seen
      const name = e.tagName.toLowerCase() + (e.id ? `#${e.id}` : "") +
        (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") +
        (e.textContent.trim() ? ` "${e.textContent.trim().slice(0, 40)}"` : "");
      // Tab scrolls smoothly; jump instead so the screenshots below see the element.
      e.scrollIntoView({ block: "center", behavior: "instant" });
      return { body: false, name };
    });
    if (info.body) break;
    const box = await el.boundingBox();
    if (!box || box.width === 0 || box.height === 0) {
      problems.push(`focus-visible: ${info.name} takes keyboard focus but is not shown`);
      continue;
    }
    const vp = page.viewportSize();
    const x = Math.max(0, box.x - 4), y = Math.max(0, box.y - 4);
    const clip = { x, y, width: Math.min(vp.width - x, box.width + 8),
                   height: Math.min(vp.height - y, box.height + 8) };
    if (clip.width <= 0 || clip.height <= 0) {
      problems.push(`focus-visible: ${info.name} is focused outside the window`);
      continue;
    }
    const focused = await page.screenshot({ clip, animations: "disabled" });
    await el.evaluate((e) => e.blur());
    const plain = await page.screenshot({ clip, animations: "disabled" });
    await el.evaluate((e) => e.focus());
    if (focused.equals(plain)) problems.push(`focus-visible: ${info.name} shows no focus indicator`);
  }
  return problems;
}

async function printed(page) {
  await page.emulateMedia({ media: "print" });
  const problems = await page.evaluate((screenOnly) => {
    const out = [];
    const shown = (e) => {
      const r = e.getBoundingClientRect(), s = getComputedStyle(e);
      return r.width > 0 && r.height > 0 && s.visibility !== "hidden";
    };
    for (const sel of screenOnly)
      for (const e of document.querySelectorAll(sel))
        if (shown(e)) out.push(`print: ${sel} is printed`);
    for (const e of document.querySelectorAll("button"))
      if (shown(e)) out.push(`print: a button (${e.className || e.textContent.trim()}) is printed`);
    const logos = [...document.querySelectorAll(".sidebar-brand img, .carepress-print-brand img")];
    if (!logos.some(shown)) out.push("print: the brand header (logo) is not printed");
    for (const a of document.querySelectorAll("article a.reference.external")) {
      if (!shown(a)) continue;
      const after = getComputedStyle(a, "::after").content;
      if (!after.includes(a.getAttribute("href")))
        out.push(`print: the address of link "${a.textContent.trim()}" is not printed`);
    }
    return out;
  }, SCREEN_ONLY);
  return problems;
}

const report = { pages: [], screenshots: [] };
let topicSeen = false;
// One page per site page: axe in light then dark mode (the colour scheme switched on the
// loaded page), then on a topic page the checks in light mode at each width (reloaded at
// that width). The first topic page's screenshots are taken on the way, each from the page
// as a fresh load at that width and colour scheme shows it.
for (const path of pages) {
  const url = new URL(path, opts.base).href;
  const entry = { page: path, topic: false, modes: {}, problems: [] };
  const context = await browser.newContext({ colorScheme: "light", viewport: VIEWPORTS.desktop });
  const page = await context.newPage();
  const response = await page.goto(url, { waitUntil: "load" });
  if (!response || !response.ok()) {
    entry.problems.push(`load: ${url} answered ${response ? response.status() : "nothing"}`);
    await context.close();
    report.pages.push(entry);
    continue;
  }
  entry.topic = await page.evaluate(() => !!document.querySelector(".carepress-downloads"));
  const shots = {};
  let shoot = null;
  if (entry.topic && !topicSeen && opts.shots) {
    topicSeen = true;
    mkdirSync(opts.shots, { recursive: true });
    const name = path.replace(/\.html$/, "").replaceAll("/", "-");
    shoot = async (label, viewport) => {
      const file = join(opts.shots, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      shots[label] = [{ file, width: viewport.width, height: viewport.height }];
      if (label === "desktop") {
        const pdf = join(opts.shots, `${name}-printed.pdf`);
        await page.pdf({ path: pdf, format: "Letter", printBackground: false });
        shots[label].push({ file: pdf });
      }
    };
    await shoot("desktop", VIEWPORTS.desktop);
  }
  entry.modes.light = await axe(page, true);
  await scheme(page, "dark");
  if (shoot) await shoot("desktop-dark", VIEWPORTS.desktop);
  entry.modes.dark = await axe(page, false);
  if (entry.topic) {
    await scheme(page, "light");
    entry.problems.push(...await structure(page));
    for (const [width, viewport] of Object.entries(VIEWPORTS)) {
      await page.setViewportSize(viewport);
      await page.reload({ waitUntil: "load" });
      if (shoot && width === "phone") await shoot("phone", viewport);
      entry.problems.push(...(await keyboard(page)).map((p) => `${p} (${width} width)`));
    }
    entry.problems.push(...await printed(page));
  }
  await context.close();
  for (const label of ["phone", "desktop", "desktop-dark"])
    report.screenshots.push(...(shots[label] || []));
  report.pages.push(entry);
}
await browser.close();
process.stdout.write(JSON.stringify(report));
